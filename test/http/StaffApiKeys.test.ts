/**
 * Per-account staff API keys in the `X-Staff-Key` header of the staff API,
 * on the whole application in this process. A key acts as its account's
 * name and its use is recorded. It stops working once revoked or once its
 * account is disabled, and the configured `STAFF_API_KEY` keeps working.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import * as StaffAccounts from "@pw/staff/StaffAccounts"
import * as StaffApiKeys from "@pw/staff/StaffApiKeys"
import { Context, Effect, Layer, Option, Redacted, Schema } from "effect"
import { baseUrl, createAdmin, createOrder, createReviewer, type TestAccount } from "../admin/support/AdminFixtures.ts"
import * as Platform from "../support/InProcessPlatform.ts"

const ErrorBody = Schema.Struct({ _tag: Schema.String, message: Schema.String, field: Schema.optional(Schema.String) })
const decodeErrorBody = Schema.decodeUnknownSync(ErrorBody)

/** The server's base URL, the admin, one of its keys and an order to read, set up once for the file. */
class Fixture extends Context.Tag("StaffApiKeysTest/Fixture")<Fixture, {
  readonly base: string
  readonly admin: TestAccount
  readonly keyId: string
  readonly key: string
  readonly orderId: string
}>() {}

const FixtureLive = Layer.effect(Fixture, Effect.gen(function*() {
  const base = yield* baseUrl
  const admin = yield* createAdmin
  const created = yield* StaffApiKeys.create(admin.id, "integration tests", admin.id).pipe(Effect.orDie)
  const order = yield* createOrder(base, "staff-api-keys-order")
  return { base, admin, keyId: created.keyId, key: Redacted.value(created.key), orderId: order.orderId }
}))

interface Reply {
  readonly status: number
  readonly text: string
}

/** Sends `method path` to the application with `staffKey` in `X-Staff-Key`. */
const call = (method: "GET" | "POST", path: string, staffKey: string, body?: unknown) =>
  Effect.flatMap(Fixture, ({ base }) =>
    Effect.promise(async (): Promise<Reply> => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { "x-staff-key": staffKey, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) })
      })
      return { status: response.status, text: await response.text() }
    }))

/** Reads the order of the fixture with `staffKey`. */
const readOrder = (staffKey: string) => Effect.flatMap(Fixture, ({ orderId }) => call("GET", `/v1/staff/orders/${orderId}`, staffKey))

/** Checks that `reply` is the staff API's 401 for the `X-Staff-Key` header. */
const expectUnauthorized = (reply: Reply) => {
  expect(reply.status).toBe(401)
  const body = decodeErrorBody(JSON.parse(reply.text))
  expect(body._tag).toBe("Unauthorized")
  expect(body.field).toBe("X-Staff-Key")
  expect(body.message).toContain("X-Staff-Key")
}

layer(Platform.layer, { excludeTestServices: true, timeout: "180 seconds" })("Staff API keys", (it) => {
  it.layer(FixtureLive, { timeout: "120 seconds" })((it) => {
    describe("X-Staff-Key", () => {
      it.effect("configured key still works", () =>
        Effect.gen(function*() {
          const reply = yield* readOrder(Platform.staffApiKey)
          expect(reply.status).toBe(200)
        }))

      it.effect("account key reads an order", () =>
        Effect.gen(function*() {
          const { key, orderId } = yield* Fixture
          const reply = yield* readOrder(key)
          expect(reply.status).toBe(200)
          expect((JSON.parse(reply.text) as { id: string }).id).toBe(orderId)
        }))

      it.effect("account key acts as its name", () =>
        Effect.gen(function*() {
          const { key } = yield* Fixture
          const reply = yield* call("POST", "/v1/staff/customers", key, {
            name: "Example Telecom LLC",
            email: "ops@example.com",
            frns: ["0911000101"]
          })
          expect(reply.status).toBe(201)
          const customerId = (JSON.parse(reply.text) as { customerId: string }).customerId
          const sql = yield* SqlClient.SqlClient
          const rows = yield* sql<{ data: { createdBy?: string } }>`
            SELECT data FROM audit_events WHERE entity_type = 'Customer' AND entity_id = ${customerId}
          `.pipe(Effect.orDie)
          expect(rows[0]?.data.createdBy).toBe("Ada Admin")
        }))

      it.effect("records the last use", () =>
        Effect.gen(function*() {
          const { admin, key, keyId } = yield* Fixture
          yield* readOrder(key)
          const keys = yield* StaffApiKeys.list(admin.id)
          const listed = keys.find((candidate) => candidate.id === keyId)
          expect(listed === undefined ? false : Option.isSome(listed.lastUsedAt)).toBe(true)
        }))

      it.effect("unknown key is 401", () =>
        Effect.gen(function*() {
          expectUnauthorized(yield* readOrder(`psk_${"A".repeat(43)}`))
          expectUnauthorized(yield* readOrder("psk_"))
        }))

      it.effect("disabled account's key is 401", () =>
        Effect.gen(function*() {
          const { admin } = yield* Fixture
          const reviewer = yield* createReviewer(admin.id, "keys-reviewer@example.com", "Kim Keys")
          const created = yield* StaffApiKeys.create(reviewer.id, "reviewer export", admin.id).pipe(Effect.orDie)
          const key = Redacted.value(created.key)
          expect((yield* readOrder(key)).status).toBe(200)
          yield* StaffAccounts.setDisabled(reviewer.id, true, admin.id).pipe(Effect.orDie)
          expectUnauthorized(yield* readOrder(key))
        }))

      it.effect("reviewer's key cannot refund", () =>
        Effect.gen(function*() {
          const { admin, orderId } = yield* Fixture
          const reviewer = yield* createReviewer(admin.id, "refund-reviewer@example.com", "Rae Review")
          const created = yield* StaffApiKeys.create(reviewer.id, "reviewer refunds", reviewer.id).pipe(Effect.orDie)
          const reply = yield* call("POST", `/v1/staff/orders/${orderId}/refunds`, Redacted.value(created.key), {
            paymentId: "pay_any",
            amount: 100,
            reason: "test"
          })
          expect(reply.status).toBe(403)
          expect(decodeErrorBody(JSON.parse(reply.text))._tag).toBe("Forbidden")
        }))

      it.effect("revoked key is 401", () =>
        Effect.gen(function*() {
          const { admin, key, keyId } = yield* Fixture
          yield* StaffApiKeys.revoke(admin.id, keyId, admin.id).pipe(Effect.orDie)
          expectUnauthorized(yield* readOrder(key))
          expect((yield* readOrder(Platform.staffApiKey)).status).toBe(200)
        }))
    })
  })
})
