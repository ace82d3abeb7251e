import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { OrderId } from "@pw/domain/Order"
import { Effect, Layer, Option } from "effect"
import * as TestDatabase from "../../../test/support/TestDatabase.ts"
import { EmailTemplates } from "../src/EmailTemplates.ts"
import { OrderReceived, RefundIssued } from "../src/Notification.ts"
import * as Outbox from "../src/Outbox.ts"

// The database is built first: its config provider stays in force for the layers built after it.
const TestLayer = EmailTemplates.layer.pipe(Layer.provideMerge(TestDatabase.layer))

const orderId = OrderId.make("ord_2yp3qsjuybionaz2t22n")

const orderReceived = new OrderReceived({
  orderId,
  recipient: "compliance@ridgevalley.example.com",
  carrierLegalName: "Ridge & Valley Telephone Company",
  totalCents: 2186
})

const rowCount = (id: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ readonly count: number }>`SELECT count(*)::int AS count FROM mail_outbox WHERE id = ${id}`.pipe(
      Effect.map((rows) => rows[0]?.count ?? 0)
    ))

class Rollback {
  readonly _tag = "Rollback"
}

layer(TestLayer)("Outbox.enqueue", (it) => {
  it.effect("stores the rendered e-mail", () =>
    Effect.gen(function*() {
      const inserted = yield* Outbox.enqueue(orderReceived, { dedupeKey: `order-received/${orderId}` })
      expect(inserted).toBe(true)
      const row = yield* Effect.flatMap(Outbox.find(`order-received/${orderId}`), Effect.orDie)
      const email = yield* (yield* EmailTemplates).render(orderReceived)
      expect(row.kind).toBe("order-received")
      expect(row.recipient).toBe("compliance@ridgevalley.example.com")
      expect(row.order_id).toBe(orderId)
      expect(row.subject).toBe(email.subject)
      expect(row.text_body).toBe(email.text)
      expect(row.html_body).toBe(email.html)
      expect(row.message_id).toBe(`<order-received/${orderId}@performance-west.example.com>`)
      expect(row.attempts).toBe(0)
      expect(row.sent_at).toBeNull()
      expect(row.next_attempt_at).not.toBeNull()
    }))

  it.effect("same key twice, one row", () =>
    Effect.gen(function*() {
      const dedupeKey = `refund-issued/${orderId}/re_1`
      const refund = new RefundIssued({
        orderId,
        recipient: orderReceived.recipient,
        carrierLegalName: orderReceived.carrierLegalName,
        amountCents: 2186
      })
      expect(yield* Outbox.enqueue(refund, { dedupeKey })).toBe(true)
      expect(yield* Outbox.enqueue(refund, { dedupeKey })).toBe(false)
      expect(yield* rowCount(dedupeKey)).toBe(1)
    }))

  it.effect("rollback leaves no row", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const dedupeKey = `order-received/${orderId}/rolled-back`
      const outcome = yield* sql.withTransaction(
        Effect.zipRight(Outbox.enqueue(orderReceived, { dedupeKey }), Effect.fail(new Rollback()))
      ).pipe(Effect.flip)
      expect(outcome).toBeInstanceOf(Rollback)
      expect(yield* rowCount(dedupeKey)).toBe(0)
    }))

  it.effect("commit keeps the row", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const dedupeKey = `order-received/${orderId}/committed`
      yield* sql.withTransaction(Outbox.enqueue(orderReceived, { dedupeKey }))
      expect(yield* rowCount(dedupeKey)).toBe(1)
    }))

  it.effect("rejects invalid dedupe key", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Outbox.enqueue(orderReceived, { dedupeKey: "order received <1>" }))
      expect(error._tag).toBe("InvalidOutboxEntry")
      expect(error.message).toContain("\"order received <1>\"")
      expect(yield* rowCount("order received <1>")).toBe(0)
    }))

  it.effect("rejects invalid notification", () =>
    Effect.gen(function*() {
      const dedupeKey = `order-received/${orderId}/invalid`
      const broken = new OrderReceived({
        orderId,
        recipient: "not an address",
        carrierLegalName: orderReceived.carrierLegalName,
        totalCents: 2186
      }, { disableValidation: true })
      const error = yield* Effect.flip(Outbox.enqueue(broken, { dedupeKey }))
      expect(error._tag).toBe("InvalidOutboxEntry")
      expect(error.message).toContain("invalid e-mail address \"not an address\"")
      expect(yield* rowCount(dedupeKey)).toBe(0)
    }))

  it.effect("find returns none", () =>
    Effect.gen(function*() {
      expect(Option.isNone(yield* Outbox.find("no-such-row"))).toBe(true)
    }))
})
