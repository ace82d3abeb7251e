/**
 * The customer and staff HTTP API under `/v1`.
 */
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { CarrierProfile } from "@pw/domain/Carrier"
import { Service } from "@pw/domain/Catalog"
import { CpniCertificationFacts } from "@pw/domain/CpniCertification"
import { DocumentProgress } from "@pw/domain/DocumentProgress"
import { ContactEmail, OrderDocument, OrderView } from "@pw/domain/Order"
import { PaymentMethod } from "@pw/domain/PaymentMethod"
import { OrderItem, Quote } from "@pw/domain/Quote"
import { Checkout } from "@pw/payments/Gateway"
import { Schema } from "effect"
import { BadRequest, Conflict, Forbidden, LinkExpired, NotFound, TooManyRequests, Unauthorized } from "./ApiErrors.ts"
import { CalendarGroup } from "./CalendarGroup.ts"
import { ComplianceGroup } from "./ComplianceGroup.ts"
import { ComplianceRulesGroup } from "./ComplianceRulesGroup.ts"
import { CustomersGroup } from "./CustomersGroup.ts"
import { FccCheckGroup } from "./FccCheckGroup.ts"
import { CustomerAuth, StaffAuth } from "./Security.ts"

const Items = Schema.Array(OrderItem).pipe(
  Schema.minItems(1, { message: () => "items is empty; order at least one service" })
)

/** Body of `POST /v1/quotes`. */
export class QuoteRequest extends Schema.Class<QuoteRequest>("QuoteRequest")({
  items: Items,
  paymentMethod: PaymentMethod
}) {}

/** Body of `POST /v1/orders`. `cpniCertification` is required when a cpni-certification item is ordered. */
export class CreateOrderRequest extends Schema.Class<CreateOrderRequest>("CreateOrderRequest")({
  carrier: CarrierProfile,
  items: Items,
  paymentMethod: PaymentMethod,
  cpniCertification: Schema.optional(CpniCertificationFacts),
  /** The address for order, payment and delivery e-mails. Without it, none are sent. */
  contactEmail: Schema.optional(ContactEmail)
}) {}

/** A document of the order; the download link, which expires, is there once the order is delivered. */
export class DocumentLink extends Schema.Class<DocumentLink>("DocumentLink")({
  ...OrderDocument.fields,
  downloadUrl: Schema.optional(Schema.String),
  downloadExpiresAt: Schema.optional(Schema.DateTimeUtc)
}) {}

/** An order as shown to the customer. After `POST .../checkout` with a real gateway, `checkout` holds the payment page. */
export class CustomerOrder extends Schema.Class<CustomerOrder>("CustomerOrder")({
  ...OrderView.fields,
  documents: Schema.Array(DocumentLink),
  /** How many of the documents the platform generates for this order exist. */
  documentProgress: DocumentProgress,
  checkout: Schema.optional(Checkout)
}) {}

/** An order as staff see it: every field, with document progress. */
export class StaffOrder extends Schema.Class<StaffOrder>("StaffOrder")({
  ...OrderView.fields,
  documentProgress: DocumentProgress
}) {}

/** Body of a staff refund: which payment, how many cents, and why. */
export class RefundRequest extends Schema.Class<RefundRequest>("RefundRequest")({
  paymentId: Schema.String,
  amount: Schema.Int.pipe(Schema.positive({ message: () => "amount must be a whole number of cents, at least 1" })),
  reason: Schema.Trim.pipe(Schema.nonEmptyString({ message: () => "reason is empty; say why the money goes back" }))
}) {}

/** Acknowledgement of a gateway notification. */
export class WebhookReceived extends Schema.Class<WebhookReceived>("WebhookReceived")({
  received: Schema.Boolean
}) {}

/** Response of `POST /v1/orders`: the order and the access token its reads and downloads require. */
export class CreatedOrder extends Schema.Class<CreatedOrder>("CreatedOrder")({
  order: CustomerOrder,
  accessToken: Schema.String
}) {}

const OrderPath = Schema.Struct({ orderId: Schema.String })

/** Services and prices. */
export class CatalogGroup extends HttpApiGroup.make("catalog")
  .add(
    HttpApiEndpoint.get("list", "/catalog")
      .addSuccess(Schema.Struct({ services: Schema.Array(Service) }))
  )
  .add(
    HttpApiEndpoint.get("cryptoCoins", "/payment-methods/crypto/coins")
      .addSuccess(Schema.Struct({ coins: Schema.Array(Schema.Struct({ name: Schema.String, displayName: Schema.String })) }))
      .annotate(OpenApi.Description, "Coins accepted for crypto payment, as the crypto gateway reports them; empty when it is off.")
  )
  .add(
    HttpApiEndpoint.post("quote", "/quotes")
      .setPayload(QuoteRequest)
      .addSuccess(Quote)
      .addError(BadRequest)
      .addError(TooManyRequests)
  )
  .prefix("/v1")
  .annotate(OpenApi.Description, "The service catalog and price quotes; no authentication.")
{}

/** Customer orders: create, pay in the sandbox, read, download. */
export class OrdersGroup extends HttpApiGroup.make("orders")
  .add(
    HttpApiEndpoint.post("create", "/orders")
      .setHeaders(Schema.Struct({ "idempotency-key": Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(255))) }))
      .setPayload(CreateOrderRequest)
      .addSuccess(CreatedOrder, { status: 201 })
      .addError(BadRequest)
      .addError(Conflict)
  )
  .add(
    HttpApiEndpoint.get("get", "/orders/:orderId")
      .setPath(OrderPath)
      .addSuccess(CustomerOrder)
      .addError(NotFound)
      .middleware(CustomerAuth)
  )
  .add(
    HttpApiEndpoint.post("checkout", "/orders/:orderId/checkout")
      .setPath(OrderPath)
      .setUrlParams(Schema.Struct({
        coin: Schema.optional(Schema.String).annotations({ description: "Crypto only: the coin to pay with, such as BTC" })
      }))
      .addSuccess(CustomerOrder)
      .addError(NotFound)
      .addError(Conflict)
      .middleware(CustomerAuth)
  )
  .add(
    HttpApiEndpoint.post("cancel", "/orders/:orderId/cancel")
      .setPath(OrderPath)
      .addSuccess(CustomerOrder)
      .addError(NotFound)
      .addError(Conflict)
      .middleware(CustomerAuth)
  )
  .add(
    HttpApiEndpoint.get("download", "/orders/:orderId/documents/:documentId/download")
      .setPath(Schema.Struct({ orderId: Schema.String, documentId: Schema.String }))
      .setUrlParams(Schema.Struct({ expires: Schema.NumberFromString, signature: Schema.String }))
      .addSuccess(HttpApiSchema.withEncoding(Schema.Uint8ArrayFromSelf, { kind: "Uint8Array", contentType: "application/pdf" }))
      .addError(NotFound)
      .addError(LinkExpired)
      .middleware(CustomerAuth)
  )
  .prefix("/v1")
  .annotate(OpenApi.Description, "Orders; every endpoint but create needs `Authorization: Bearer <accessToken>`.")
{}

/** Staff review and approval. */
export class StaffGroup extends HttpApiGroup.make("staff")
  .add(
    HttpApiEndpoint.get("getOrder", "/staff/orders/:orderId")
      .setPath(OrderPath)
      .addSuccess(StaffOrder)
      .addError(NotFound)
  )
  .add(
    HttpApiEndpoint.post("approve", "/staff/orders/:orderId/approve")
      .setPath(OrderPath)
      .addSuccess(StaffOrder)
      .addError(NotFound)
      .addError(Conflict)
  )
  .add(
    HttpApiEndpoint.post("refund", "/staff/orders/:orderId/refunds")
      .setPath(OrderPath)
      .setPayload(RefundRequest)
      .addSuccess(StaffOrder)
      .addError(NotFound)
      .addError(Conflict)
  )
  .middleware(StaffAuth)
  .prefix("/v1")
  .annotate(OpenApi.Description, "Staff endpoints; need the `X-Staff-Key` header.")
{}

/**
 * Payment gateway notifications. Each reads the raw body, because the
 * signature covers the exact bytes; a notification that fails verification
 * gets 400 and changes nothing. SHKeeper requires exactly 202.
 */
export class WebhooksGroup extends HttpApiGroup.make("webhooks")
  .add(HttpApiEndpoint.post("stripe", "/webhooks/stripe").addSuccess(WebhookReceived).addError(BadRequest))
  .add(HttpApiEndpoint.post("paypal", "/webhooks/paypal").addSuccess(WebhookReceived).addError(BadRequest))
  .add(HttpApiEndpoint.post("shkeeper", "/webhooks/shkeeper").addSuccess(WebhookReceived, { status: 202 }).addError(BadRequest))
  .prefix("/v1")
  .annotate(OpenApi.Description, "Signed notifications from the payment gateways.")
{}

/** The whole API. */
export class PlatformApi extends HttpApi.make("performance-west")
  .add(CatalogGroup)
  .add(OrdersGroup)
  .add(StaffGroup)
  .add(WebhooksGroup)
  .add(CalendarGroup)
  .add(ComplianceGroup)
  .add(ComplianceRulesGroup)
  .add(CustomersGroup)
  .add(FccCheckGroup)
  .addError(Unauthorized)
  .addError(Forbidden)
  .annotate(OpenApi.Title, "Performance West API")
  .annotate(OpenApi.Description, "Telecom compliance filings: catalog, quotes, orders, documents.")
{}
