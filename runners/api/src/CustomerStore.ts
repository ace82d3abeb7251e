/**
 * The `customers`, `customer_carriers` and `customer_api_keys` tables. An API
 * key is `pwk_` and 43 base64url characters (32 random bytes); only its
 * SHA-256 is stored, and its id is derived from that hash. Creating a
 * customer or key and revoking a key each write an audit row in the same
 * transaction.
 */
import { SqlClient } from "@effect/sql"
import { CustomerApiKey } from "@pw/api/CustomersGroup"
import * as AuditLog from "@pw/db/AuditLog"
import { Effect, Option, Redacted, Schema } from "effect"
import { randomBytes } from "node:crypto"
import { sha256Hex } from "./Credentials.ts"

/** Prefix of every customer API key. */
export const apiKeyPrefix = "pwk_"

/**
 * The id of the key whose SHA-256 is `keySha256`: safe to log, and the same
 * for a key whether or not it was ever issued.
 */
export const apiKeyIdOf = (keySha256: string): string => `cak_${keySha256.slice(0, 16)}`

const KeyRow = Schema.Struct({
  id: Schema.String,
  customer_id: Schema.String,
  created_at: Schema.DateTimeUtcFromDate,
  revoked_at: Schema.NullOr(Schema.DateTimeUtcFromDate)
})
const decodeKeyRows = Schema.decodeUnknown(Schema.Array(KeyRow))

const toApiKey = (row: typeof KeyRow.Type): CustomerApiKey =>
  new CustomerApiKey({
    id: row.id,
    customerId: row.customer_id,
    createdAt: row.created_at,
    ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at })
  })

const CustomerRow = Schema.Struct({ id: Schema.String, name: Schema.String, key_id: Schema.String })
const decodeCustomerRows = Schema.decodeUnknown(Schema.Array(CustomerRow))
const decodeFrnRows = Schema.decodeUnknown(Schema.Array(Schema.Struct({ frn: Schema.String })))

/** A customer authenticated by an API key, with the FRNs of its carriers. */
export interface KeyHolder {
  readonly customerId: string
  readonly name: string
  readonly keyId: string
  readonly frns: ReadonlyArray<string>
}

/** The new customer's fields, already validated. */
export interface NewCustomer {
  readonly name: string
  readonly email: string
  readonly frns: ReadonlyArray<string>
}

/** Creates a customer with its carriers and returns the customer id. `createdBy` goes into the audit row. */
export const createCustomer = Effect.fn("CustomerStore.createCustomer")(
  function*(customer: NewCustomer, createdBy: string) {
    const sql = yield* SqlClient.SqlClient
    const id = `cus_${randomBytes(12).toString("hex")}`
    const frns = [...new Set(customer.frns)]
    yield* sql.withTransaction(Effect.gen(function*() {
      yield* sql`INSERT INTO customers (id, name, email) VALUES (${id}, ${customer.name}, ${customer.email})`
      yield* Effect.forEach(frns, (frn) => sql`INSERT INTO customer_carriers (customer_id, frn) VALUES (${id}, ${frn})`, { discard: true })
      yield* AuditLog.record({ entityType: "Customer", entityId: id, requestId: "create", event: "created", data: { frns, createdBy } })
    }))
    return id
  },
  Effect.orDie
)

/**
 * Creates an API key for `customerId` and returns it with its id; the key
 * exists only in this value. None when the customer does not exist.
 */
export const createApiKey = Effect.fn("CustomerStore.createApiKey")(
  function*(customerId: string, createdBy: string) {
    const sql = yield* SqlClient.SqlClient
    const apiKey = `${apiKeyPrefix}${randomBytes(32).toString("base64url")}`
    const keySha256 = sha256Hex(apiKey)
    const keyId = apiKeyIdOf(keySha256)
    return yield* sql.withTransaction(Effect.gen(function*() {
      const customers = yield* sql`SELECT id FROM customers WHERE id = ${customerId} FOR UPDATE`
      if (customers.length === 0) return Option.none()
      yield* sql`INSERT INTO customer_api_keys (id, customer_id, key_sha256) VALUES (${keyId}, ${customerId}, ${keySha256})`
      yield* AuditLog.record({ entityType: "CustomerApiKey", entityId: keyId, requestId: "create", event: "created", data: { customerId, createdBy } })
      return Option.some({ keyId, apiKey: Redacted.make(apiKey) })
    }))
  },
  Effect.orDie
)

/** Revokes key `keyId` of `customerId`; returns it with its first revocation time, or none when there is no such key. */
export const revokeApiKey = Effect.fn("CustomerStore.revokeApiKey")(
  function*(customerId: string, keyId: string, revokedBy: string) {
    const sql = yield* SqlClient.SqlClient
    return yield* sql.withTransaction(Effect.gen(function*() {
      const rows = yield* sql`
        UPDATE customer_api_keys SET revoked_at = COALESCE(revoked_at, now())
        WHERE id = ${keyId} AND customer_id = ${customerId}
        RETURNING id, customer_id, created_at, revoked_at
      `.pipe(Effect.flatMap(decodeKeyRows))
      const row = rows[0]
      if (row === undefined) return Option.none()
      yield* AuditLog.record({ entityType: "CustomerApiKey", entityId: keyId, requestId: "revoke", event: "revoked", data: { customerId, revokedBy } })
      return Option.some(toApiKey(row))
    }))
  },
  Effect.orDie
)

/** The customer holding the unrevoked key `apiKey`, with its carriers; none for an unknown or revoked key. */
export const findKeyHolder = Effect.fn("CustomerStore.findKeyHolder")(
  function*(apiKey: Redacted.Redacted<string>) {
    const sql = yield* SqlClient.SqlClient
    const keySha256 = sha256Hex(Redacted.value(apiKey))
    const customers = yield* sql`
      SELECT c.id, c.name, k.id AS key_id
      FROM customer_api_keys k JOIN customers c ON c.id = k.customer_id
      WHERE k.key_sha256 = ${keySha256} AND k.revoked_at IS NULL
    `.pipe(Effect.flatMap(decodeCustomerRows))
    const customer = customers[0]
    if (customer === undefined) return Option.none<KeyHolder>()
    const carriers = yield* sql`
      SELECT frn FROM customer_carriers WHERE customer_id = ${customer.id} ORDER BY frn
    `.pipe(Effect.flatMap(decodeFrnRows))
    return Option.some<KeyHolder>({ customerId: customer.id, name: customer.name, keyId: customer.key_id, frns: carriers.map((row) => row.frn) })
  },
  Effect.orDie
)
