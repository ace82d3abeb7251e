/**
 * Customers and their API keys, managed by staff. A customer reads the orders
 * and compliance calendars of its carriers through the MCP server, which it
 * reaches with an API key.
 */
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Frn } from "@pw/domain/Carrier"
import { Schema } from "effect"
import { NotFound } from "./ApiErrors.ts"
import { StaffAuth } from "./Security.ts"

/** Body of `POST /v1/staff/customers`. */
export class CreateCustomerRequest extends Schema.Class<CreateCustomerRequest>("CreateCustomerRequest")({
  name: Schema.Trim.pipe(
    Schema.nonEmptyString({ message: () => "name is empty; give the customer's company name" }),
    Schema.maxLength(200, { message: () => "name is longer than 200 characters" })
  ),
  email: Schema.Trim.pipe(
    Schema.pattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, {
      message: (issue) => `email must be an e-mail address such as compliance@example.com (got ${JSON.stringify(issue.actual)})`
    }),
    Schema.maxLength(254, { message: () => "email is longer than 254 characters" })
  ),
  /** FRNs of the carriers whose orders and calendars the customer may see. */
  frns: Schema.Array(Frn).pipe(
    Schema.minItems(1, { message: () => "frns is empty; give the FRN of at least one of the customer's carriers" }),
    Schema.maxItems(100, { message: () => "frns has more than 100 entries" })
  )
}) {}

/** Response of creating a customer. */
export class CreatedCustomer extends Schema.Class<CreatedCustomer>("CreatedCustomer")({
  customerId: Schema.String
}) {}

/** Response of creating an API key: the key itself, shown this once, and the id staff revoke it by. */
export class CreatedApiKey extends Schema.Class<CreatedApiKey>("CreatedApiKey")({
  keyId: Schema.String,
  apiKey: Schema.String
}) {}

/** An API key as stored, never the key. */
export class CustomerApiKey extends Schema.Class<CustomerApiKey>("CustomerApiKey")({
  id: Schema.String,
  customerId: Schema.String,
  createdAt: Schema.DateTimeUtc,
  revokedAt: Schema.optional(Schema.DateTimeUtc)
}) {}

/** The customer endpoints; every one needs `X-Staff-Key`. */
export class CustomersGroup extends HttpApiGroup.make("customers")
  .add(
    HttpApiEndpoint.post("createCustomer", "/staff/customers")
      .setPayload(CreateCustomerRequest)
      .addSuccess(CreatedCustomer, { status: 201 })
      .annotate(OpenApi.Description, "Creates a customer who may see the orders and calendars of the given carriers.")
  )
  .add(
    HttpApiEndpoint.post("createApiKey", "/staff/customers/:customerId/api-keys")
      .setPath(Schema.Struct({ customerId: Schema.String }))
      .addSuccess(CreatedApiKey, { status: 201 })
      .addError(NotFound)
      .annotate(OpenApi.Description, "Creates an API key for the MCP server (PW_API_KEY). The key is returned once; only its SHA-256 is stored.")
  )
  .add(
    HttpApiEndpoint.del("revokeApiKey", "/staff/customers/:customerId/api-keys/:keyId")
      .setPath(Schema.Struct({ customerId: Schema.String, keyId: Schema.String }))
      .addSuccess(CustomerApiKey)
      .addError(NotFound)
      .annotate(OpenApi.Description, "Revokes an API key; it authenticates nothing from then on. Revoking twice is harmless.")
  )
  .middleware(StaffAuth)
  .prefix("/v1")
  .annotate(OpenApi.Description, "Customers and their API keys for the MCP server.")
{}
