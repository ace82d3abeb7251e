/**
 * The Order entity's behaviour. Each handler applies its change in one
 * transaction together with an audit row keyed by the message's primary key,
 * so a message delivered twice changes the order once. Work that follows a
 * commit (starting workflows) runs on every delivery and is itself idempotent.
 */
import { SqlClient } from "@effect/sql"
import * as AuditLog from "@pw/db/AuditLog"
import type { OrderStatus, OrderView } from "@pw/domain/Order"
import * as Pricing from "@pw/domain/Pricing"
import { Effect, Option, PrimaryKey } from "effect"
import { Order, type OrderSnapshot } from "./Order.ts"
import { IdempotencyKeyReused, InvalidOrderState, OrderNotFound, OrderRejected, PaymentMismatch } from "./OrderErrors.ts"
import * as OrderStore from "./OrderStore.ts"
import { Fulfilment } from "./Fulfilment.ts"
import { FundsCleared } from "./FundsCleared.ts"
import * as OrderNotifications from "./OrderNotifications.ts"
import { makePaymentHandlers } from "./OrderPaymentHandlers.ts"

const entityType = "Order"

/** The notification fields of an order. */
export const notifiedOrder = (order: OrderView): OrderNotifications.NotifiedOrder => ({
  id: order.id,
  contactEmail: order.contactEmail,
  carrierLegalName: order.carrier.legalName
})

/** States in which money has been received for the order. */
const paidStates: ReadonlySet<OrderStatus> = new Set([
  "paid",
  "funds_cleared",
  "in_progress",
  "awaiting_review",
  "delivered",
  "refunded"
])

/** The Order entity's handlers; needs PostgreSQL and the Fulfilment bridge. */
export const OrderLive = Order.toLayer(Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const store = yield* OrderStore.make
  const fulfilment = yield* Fulfilment
  const notify = yield* OrderNotifications.make
  const fundsCleared = yield* Effect.serviceOption(FundsCleared)
  const recordAudit = (event: AuditLog.AuditEvent) =>
    AuditLog.record(event).pipe(Effect.provideService(SqlClient.SqlClient, sql))

  const loadSnapshot = (orderId: string) =>
    Effect.flatMap(store.snapshot(orderId), Option.match({
      onNone: () => Effect.fail(new OrderNotFound({ orderId })),
      onSome: Effect.succeed
    }))

  /**
   * Runs `apply` on the locked order unless `requestId` was applied before;
   * returns the order as it is after the change.
   */
  const change = <E>(
    orderId: string,
    requestId: string,
    event: string,
    apply: (status: OrderStatus) => Effect.Effect<void, E>,
    data?: Record<string, unknown>
  ): Effect.Effect<OrderSnapshot, E | OrderNotFound> =>
    Effect.gen(function*() {
      const row = yield* store.findForUpdate(orderId)
      if (Option.isNone(row)) return yield* new OrderNotFound({ orderId })
      const fresh = yield* recordAudit({
        entityType,
        entityId: orderId,
        requestId,
        event,
        ...(data === undefined ? {} : { data })
      })
      if (fresh) {
        yield* apply(row.value.status)
        yield* Effect.annotateLogs(Effect.logInfo("order changed"), { orderId, event })
      }
      return yield* loadSnapshot(orderId)
    }).pipe(sql.withTransaction, Effect.catchTag("SqlError", Effect.die))

  const invalidState = (orderId: string, status: OrderStatus, action: string, hint: string) =>
    new InvalidOrderState({ orderId, status, action, hint })

  /**
   * Starts the order's workflows once its funds cleared. Runs after the
   * commit on every delivery; both steps are idempotent.
   */
  const startFulfilmentIfCleared = (orderId: string, snapshot: OrderSnapshot) =>
    Effect.gen(function*() {
      if (snapshot.order.status !== "funds_cleared") return snapshot
      if (Option.isSome(fundsCleared)) yield* fundsCleared.value.cleared(snapshot.order)
      yield* fulfilment.start(orderId, snapshot.order.items)
      return yield* change(orderId, "fulfilment:start", "fulfilment_started", () => store.setStatus(orderId, "in_progress"))
    })

  const notifyDelivered = (orderId: string) =>
    Effect.gen(function*() {
      const current = yield* store.snapshot(orderId).pipe(Effect.flatMap(Effect.orDie))
      const documents = current.order.documents.map((document) => document.fileName).join(", ")
      yield* notify.delivered(notifiedOrder(current.order), documents === "" ? "your documents" : documents)
    })

  const payments = yield* makePaymentHandlers({
    sql,
    store,
    change,
    loadSnapshot,
    recordAudit,
    startFulfilmentIfCleared,
    invalidState,
    notify
  })

  return {
    Create: Effect.fnUntraced(function*({ address, payload }) {
      const orderId = address.entityId
      const quote = yield* Pricing.quote(payload.items, payload.paymentMethod).pipe(
        Effect.mapError((error) => new OrderRejected({ field: error.field, reason: error.message }))
      )
      const needsFacts = payload.items.some((item) => item.service === "cpni-certification")
      if (needsFacts && payload.cpniCertification === undefined) {
        return yield* new OrderRejected({
          field: "cpniCertification",
          reason: "cpniCertification is missing; cpni-certification orders must state the certification facts"
        })
      }

      return yield* Effect.gen(function*() {
        const existing = yield* store.findForUpdate(orderId)
        if (Option.isSome(existing)) {
          if (existing.value.request_hash !== payload.requestHash) return yield* new IdempotencyKeyReused({ orderId })
          return yield* loadSnapshot(orderId).pipe(Effect.orDie)
        }
        yield* store.insert({
          id: orderId,
          status: "awaiting_payment",
          carrier: payload.carrier,
          items: payload.items,
          quote,
          cpniCertification: payload.cpniCertification,
          contactEmail: payload.contactEmail,
          accessTokenHash: payload.accessTokenHash,
          requestHash: payload.requestHash
        })
        yield* recordAudit({
          entityType,
          entityId: orderId,
          requestId: PrimaryKey.value(payload),
          event: "created",
          data: { frn: payload.carrier.frn, total: quote.total, paymentMethod: payload.paymentMethod }
        })
        yield* notify.orderReceived(
          { id: orderId, contactEmail: payload.contactEmail, carrierLegalName: payload.carrier.legalName },
          quote.total
        )
        yield* Effect.annotateLogs(Effect.logInfo("order created"), { orderId, frn: payload.carrier.frn })
        return yield* loadSnapshot(orderId).pipe(Effect.orDie)
      }).pipe(sql.withTransaction, Effect.catchTag("SqlError", Effect.die))
    }),

    Requote: Effect.fnUntraced(function*({ address, payload }) {
      const orderId = address.entityId
      return yield* change(orderId, PrimaryKey.value(payload), "requoted", (status) =>
        Effect.gen(function*() {
          if (status !== "awaiting_payment" && status !== "draft") {
            return yield* invalidState(orderId, status, "re-price", "only an unpaid order can change payment method")
          }
          const current = yield* store.snapshot(orderId).pipe(Effect.flatMap(Effect.orDie))
          const quote = yield* Pricing.quote(current.order.items, payload.paymentMethod).pipe(
            Effect.mapError((error) => new OrderRejected({ field: error.field, reason: error.message }))
          )
          yield* store.setQuote(orderId, quote)
        }), { paymentMethod: payload.paymentMethod })
    }),

    RecordPayment: Effect.fnUntraced(function*({ address, payload }) {
      const orderId = address.entityId
      const snapshot = yield* change(orderId, PrimaryKey.value(payload), "payment_recorded", (status) =>
        Effect.gen(function*() {
          if (status !== "awaiting_payment") {
            return yield* invalidState(orderId, status, "record a payment for", "the order is not awaiting payment")
          }
          const current = yield* store.snapshot(orderId).pipe(Effect.flatMap(Effect.orDie))
          const expected = current.order.quote.total
          if (payload.amount.currency !== "USD" || payload.amount.amount !== expected) {
            return yield* new PaymentMismatch({
              orderId,
              expected,
              received: payload.amount.amount,
              currency: payload.amount.currency
            })
          }
          yield* store.insertPayment(orderId, {
            id: payload.paymentId,
            gateway: payload.gateway,
            method: payload.method,
            amount: payload.amount
          })
          // Sandbox payments move no money, so their funds count as cleared at once.
          yield* store.setStatus(orderId, payload.gateway === "sandbox" ? "funds_cleared" : "paid")
          yield* notify.paymentReceived(notifiedOrder(current.order), payload.paymentId, payload.amount.amount)
        }), { paymentId: payload.paymentId, gateway: payload.gateway, amount: payload.amount.amount })

      return yield* startFulfilmentIfCleared(orderId, snapshot)
    }),

    AttachDocument: Effect.fnUntraced(function*({ address, payload }) {
      const orderId = address.entityId
      return yield* change(orderId, PrimaryKey.value(payload), "document_attached", (status) =>
        Effect.gen(function*() {
          if (status !== "in_progress") {
            return yield* invalidState(orderId, status, "attach a document to", "documents are attached while the order is in progress")
          }
          yield* store.insertDocument(orderId, {
            id: payload.documentId,
            kind: payload.kind,
            objectKey: payload.objectKey,
            fileName: payload.fileName,
            contentType: payload.contentType,
            size: payload.size,
            sha256: payload.sha256
          })
          yield* store.setStatus(orderId, "awaiting_review")
        }), { documentId: payload.documentId, kind: payload.kind })
    }),

    Approve: Effect.fnUntraced(function*({ address, payload }) {
      const orderId = address.entityId
      // The audit row is keyed "approve", not by attempt, so the order is approved once.
      const snapshot = yield* change(orderId, "approve", "approved", (status) =>
        status === "awaiting_review"
          ? Effect.zipRight(store.setStatus(orderId, "delivered"), notifyDelivered(orderId))
          : Effect.fail(invalidState(
            orderId,
            status,
            "approve",
            paidStates.has(status)
              ? "approval comes after the documents are ready for review"
              : "the order must be paid and its documents ready for review first"
          )), { approvedBy: payload.approvedBy, requestId: payload.requestId })
      yield* fulfilment.approved(orderId, snapshot.order.items, payload.approvedBy)
      return snapshot
    }),

    Cancel: Effect.fnUntraced(function*({ address, payload }) {
      const orderId = address.entityId
      return yield* change(orderId, "cancel", "cancelled", (status) =>
        status === "awaiting_payment" || status === "draft"
          ? store.setStatus(orderId, "cancelled")
          : Effect.fail(invalidState(orderId, status, "cancel", "a paid order is refunded by staff instead")), {
        reason: payload.reason,
        requestId: payload.requestId
      })
    }),

    FlagForAttention: Effect.fnUntraced(function*({ address, payload }) {
      const orderId = address.entityId
      const snapshot = yield* change(orderId, PrimaryKey.value(payload), "needs_attention", (status) =>
        status === "in_progress"
          ? store.setStatus(orderId, "needs_attention")
          : Effect.fail(invalidState(orderId, status, "flag", "only an order in progress is flagged")), {
        step: payload.step,
        reason: payload.reason
      })
      yield* Effect.annotateLogs(Effect.logError("order needs attention"), { orderId, step: payload.step, reason: payload.reason })
      return snapshot
    }),

    ...payments,

    Get: ({ address }) => loadSnapshot(address.entityId)
  }
}))
