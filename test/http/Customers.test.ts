/**
 * Customers and their API keys over HTTP, on the whole application in this
 * process: staff create a customer and a key, the key resolves to the
 * customer until it is revoked, and only the key's SHA-256 is stored.
 */
import { HttpServer } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { CreatedApiKey, CreatedCustomer, CustomerApiKey } from "@pw/api/CustomersGroup"
import { findKeyHolder } from "@pw/api-runner/CustomerStore"
import { Effect, Option, Redacted, Schema } from "effect"
import { createHash } from "node:crypto"
import * as Platform from "../support/InProcessPlatform.ts"

const ErrorBody = Schema.Struct({ _tag: Schema.String, message: Schema.String, field: Schema.optional(Schema.String) })
const decodeErrorBody = Schema.decodeUnknownSync(ErrorBody)
const decodeCustomer = Schema.decodeUnknownSync(CreatedCustomer)
const decodeApiKey = Schema.decodeUnknownSync(CreatedApiKey)
const decodeStoredKey = Schema.decodeUnknownSync(CustomerApiKey)

interface Reply {
  readonly status: number
  readonly text: string
}

/** Sends a request to the application's server on 127.0.0.1. */
const send = (method: "POST" | "DELETE", path: string, options: { readonly body?: unknown; readonly staffKey?: string } = {}) =>
  Effect.gen(function*() {
    const server = yield* HttpServer.HttpServer
    const address = server.address
    if (address._tag !== "TcpAddress") return yield* Effect.dieMessage(`expected a TCP address, got ${address._tag}`)
    return yield* Effect.promise(async (): Promise<Reply> => {
      const response = await fetch(`http://127.0.0.1:${address.port}${path}`, {
        method,
        headers: {
          ...(options.staffKey === undefined ? {} : { "x-staff-key": options.staffKey }),
          ...(options.body === undefined ? {} : { "content-type": "application/json" })
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) })
      })
      return { status: response.status, text: await response.text() }
    })
  })

const staffSend = (method: "POST" | "DELETE", path: string, body?: unknown) =>
  send(method, path, { staffKey: Platform.staffApiKey, body })

const customerBody = { name: "Example Telecom LLC", email: "ops@example.com", frns: ["0911000101", "0911000102"] }

/** Creates the example customer and returns its id. */
const createCustomer = Effect.map(staffSend("POST", "/v1/staff/customers", customerBody), (reply) => {
  expect(reply.status).toBe(201)
  return decodeCustomer(JSON.parse(reply.text)).customerId
})

/** Creates a key for `customerId`. */
const createKey = (customerId: string) =>
  Effect.map(staffSend("POST", `/v1/staff/customers/${customerId}/api-keys`), (reply) => {
    expect(reply.status).toBe(201)
    return decodeApiKey(JSON.parse(reply.text))
  })

layer(Platform.layer, { excludeTestServices: true, timeout: "180 seconds" })("Customers API", (it) => {
  describe("customers", () => {
    it.effect("creates a customer", () =>
      Effect.gen(function*() {
        const customerId = yield* createCustomer
        expect(customerId).toMatch(/^cus_[0-9a-f]{24}$/)
        const sql = yield* SqlClient.SqlClient
        const carriers = yield* sql<{ frn: string }>`SELECT frn FROM customer_carriers WHERE customer_id = ${customerId} ORDER BY frn`
        expect(carriers.map((row) => row.frn)).toEqual(customerBody.frns)
      }))

    it.effect("rejects an invalid FRN", () =>
      Effect.gen(function*() {
        const reply = yield* staffSend("POST", "/v1/staff/customers", { ...customerBody, frns: ["12345"] })
        expect(reply.status).toBe(400)
        const body = decodeErrorBody(JSON.parse(reply.text))
        expect(body.field).toBe("frns[0]")
        expect(body.message).toContain("\"12345\"")
      }))

    it.effect("rejects a missing staff key", () =>
      Effect.gen(function*() {
        const reply = yield* send("POST", "/v1/staff/customers", { body: customerBody })
        expect(reply.status).toBe(401)
        expect(decodeErrorBody(JSON.parse(reply.text))._tag).toBe("Unauthorized")
      }))
  })

  describe("API keys", () => {
    it.effect("stores only the key's hash", () =>
      Effect.gen(function*() {
        const customerId = yield* createCustomer
        const created = yield* createKey(customerId)
        expect(created.apiKey).toMatch(/^pwk_[A-Za-z0-9_-]{43}$/)
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{ key_sha256: string; customer_id: string }>`
          SELECT key_sha256, customer_id FROM customer_api_keys WHERE id = ${created.keyId}
        `
        expect(rows).toEqual([{ key_sha256: createHash("sha256").update(created.apiKey).digest("hex"), customer_id: customerId }])
      }))

    it.effect("resolves a key to its customer", () =>
      Effect.gen(function*() {
        const customerId = yield* createCustomer
        const created = yield* createKey(customerId)
        const holder = yield* findKeyHolder(Redacted.make(created.apiKey))
        expect(Option.map(holder, (found) => found.customerId)).toEqual(Option.some(customerId))
        expect(Option.map(holder, (found) => found.frns)).toEqual(Option.some(customerBody.frns))
        expect(Option.map(holder, (found) => found.keyId)).toEqual(Option.some(created.keyId))
      }))

    it.effect("rejects an unknown customer", () =>
      Effect.gen(function*() {
        const reply = yield* staffSend("POST", "/v1/staff/customers/cus_000000000000000000000000/api-keys")
        expect(reply.status).toBe(404)
        expect(decodeErrorBody(JSON.parse(reply.text)).field).toBe("customerId")
      }))

    it.effect("revokes a key", () =>
      Effect.gen(function*() {
        const customerId = yield* createCustomer
        const created = yield* createKey(customerId)
        const reply = yield* staffSend("DELETE", `/v1/staff/customers/${customerId}/api-keys/${created.keyId}`)
        expect(reply.status).toBe(200)
        const revoked = decodeStoredKey(JSON.parse(reply.text))
        expect(revoked.revokedAt).toBeDefined()
        expect(Option.isNone(yield* findKeyHolder(Redacted.make(created.apiKey)))).toBe(true)

        const again = yield* staffSend("DELETE", `/v1/staff/customers/${customerId}/api-keys/${created.keyId}`)
        expect(again.status).toBe(200)
        expect(decodeStoredKey(JSON.parse(again.text)).revokedAt).toEqual(revoked.revokedAt)
      }))

    it.effect("rejects revoking an unknown key", () =>
      Effect.gen(function*() {
        const customerId = yield* createCustomer
        const reply = yield* staffSend("DELETE", `/v1/staff/customers/${customerId}/api-keys/cak_0000000000000000`)
        expect(reply.status).toBe(404)
        expect(decodeErrorBody(JSON.parse(reply.text)).field).toBe("keyId")
      }))

    it.effect("ignores an unknown key", () =>
      Effect.gen(function*() {
        const holder = yield* findKeyHolder(Redacted.make("pwk_unknown"))
        expect(Option.isNone(holder)).toBe(true)
      }))
  })
})
