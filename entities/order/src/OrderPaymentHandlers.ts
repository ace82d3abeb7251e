/**
 * The Order entity's payment handlers: checkouts, gateway events, settlement
 * and reminder timers, refunds. Each applies its change in one transaction
 * with the row that makes redelivery harmless: an audit row, or the gateway
 * event id. What follows the commit (timers, workflows) is derived from the
 * stored state, so a redelivered message redoes it without doubling anything.
 */
import type { SqlClient } from "@effect/sql"
import type * as AuditLog from "@pw/db/AuditLog"
import { allocate, Money } from "@pw/domain/Money"
import type { OrderStatus } from "@pw/domain/Order"
import { DateTime, Effect, Option, PrimaryKey } from "effect"
import { Order, type OrderSnapshot } from "./Order.ts"
import { type InvalidOrderState, OrderNotFound } from "./OrderErrors.ts"
import { remindersFor, SettleFunds } from "./OrderPaymentMessages.ts"
import type * as OrderNotifications from "./OrderNotifications.ts"
import type * as OrderStore from "./OrderStore.ts"
import { decide, paymentIdOf } from "./PaymentTransitions.ts"

/** The parts of the Order entity's behaviour that the payment handlers share. */
export interface OrderHandlerContext {
  readonly sql: SqlClient.SqlClient
  readonly store: Effect.Effect.Success<typeof OrderStore.make>
  readonly change: <E>(
    orderId: string,
    requestId: string,
    event: string,
    apply: (status: OrderStatus) => Effect.Effect<void, E>,
    data?: Record<string, unknown>
  ) => Effect.Effect<OrderSnapshot, E | OrderNotFound>
  readonly loadSnapshot: (orderId: string) => Effect.Effect<OrderSnapshot, OrderNotFound>
  readonly recordAudit: (event: AuditLog.AuditEvent) => Effect.Effect<boolean>
  readonly startFulfilmentIfCleared: (orderId: string, snapshot: OrderSnapshot) => Effect.Effect<OrderSnapshot, OrderNotFound>
  readonly invalidState: (orderId: string, status: OrderStatus, action: string, hint: string) => InvalidOrderState
  readonly notify: Effect.Effect.Success<typeof OrderNotifications.make>
}

/** Builds the payment handlers; needs the Order entity's own client for its timers. */
export const makePaymentHandlers = (context: OrderHandlerContext) =>
  Effect.gen(function*() {
    const { sql, store, change, loadSnapshot, recordAudit, startFulfilmentIfCleared, invalidState, notify } = context
    const makeOrder = yield* Order.client

    /** Sends the settlement timer of every succeeded payment of a paid order whose funds are not yet available. */
    const scheduleSettlements = (orderId: string, snapshot: OrderSnapshot) =>
      Effect.forEach(
        snapshot.order.status === "paid" ? snapshot.order.payments : [],
        (payment) =>
          payment.status === "succeeded" && payment.availableOn !== undefined
            ? makeOrder(orderId).SettleFunds(new SettleFunds({ paymentId: payment.id, availableOn: payment.availableOn }), {
              discard: true
            }).pipe(Effect.orDie)
            : Effect.void,
        { discard: true }
      )

    return {
      RecordCheckout: Effect.fnUntraced(function*({ address, payload }) {
        const orderId = address.entityId
        const checkout = payload.checkout
        const snapshot = yield* change(orderId, PrimaryKey.value(payload), "checkout_started", (status) =>
          status === "awaiting_payment"
            ? store.insertCheckout(orderId, {
              id: checkout.checkoutId,
              gateway: checkout.gateway,
              method: checkout.method,
              redirectUrl: checkout.redirectUrl,
              amount: checkout.amount.amount,
              startedAt: DateTime.toDateUtc(payload.startedAt)
            })
            : Effect.fail(invalidState(orderId, status, "start a checkout for", "only an order awaiting payment can be paid")), {
          gateway: checkout.gateway,
          checkoutId: checkout.checkoutId
        })
        if (snapshot.order.status === "awaiting_payment") {
          yield* Effect.forEach(
            remindersFor(payload.startedAt),
            (reminder) => makeOrder(orderId).RemindUnpaid(reminder, { discard: true }).pipe(Effect.orDie),
            { discard: true }
          )
        }
        return snapshot
      }),

      ApplyPaymentEvent: Effect.fnUntraced(function*({ address, payload }) {
        const orderId = address.entityId
        const event = payload.event
        const now = yield* DateTime.now

        yield* Effect.gen(function*() {
          const row = yield* store.findForUpdate(orderId)
          if (Option.isNone(row)) return yield* new OrderNotFound({ orderId })
          const fresh = yield* store.recordPaymentEvent(orderId, event)
          if (!fresh) return

          const paymentId = paymentIdOf(event)
          const existing = paymentId === undefined ? undefined : yield* store.findPayment(paymentId)
          const decision = decide({
            event,
            orderStatus: row.value.status,
            orderTotal: row.value.quote.total,
            method: row.value.quote.paymentMethod,
            existing,
            now
          })
          if (decision.payment === undefined && decision.orderStatus === undefined) {
            yield* Effect.annotateLogs(Effect.logInfo("payment event changes nothing"), {
              orderId,
              gateway: event.gateway,
              eventId: event.eventId,
              kind: event.kind
            })
            return
          }

          yield* recordAudit({
            entityType: "Order",
            entityId: orderId,
            requestId: PrimaryKey.value(payload),
            event: `payment_event_${event.kind}`,
            data: { gateway: event.gateway, eventId: event.eventId, paymentId, orderStatus: decision.orderStatus }
          })
          if (decision.payment !== undefined) {
            yield* store.upsertPayment(orderId, {
              ...decision.payment,
              gateway: event.gateway,
              method: row.value.quote.paymentMethod,
              reference: event.paymentReference,
              amount: new Money({ currency: "USD", amount: decision.payment.amount }),
              availableOn: decision.payment.availableOn === undefined ? undefined : DateTime.toDateUtc(decision.payment.availableOn)
            })
          }
          if (decision.orderStatus !== undefined) yield* store.setStatus(orderId, decision.orderStatus)
          const notified = {
            id: orderId,
            contactEmail: row.value.contact_email ?? undefined,
            carrierLegalName: row.value.carrier.legalName
          }
          if (decision.payment?.status === "succeeded" && paymentId !== undefined) {
            yield* notify.paymentReceived(notified, paymentId, decision.payment.amount)
          }
          if (decision.payment?.status === "failed" && paymentId !== undefined) {
            const checkoutUrl = yield* store.latestCheckoutUrl(orderId)
            yield* notify.paymentFailed(notified, paymentId, decision.payment.amount, checkoutUrl)
          }
          yield* Effect.annotateLogs(Effect.logInfo("payment event applied"), {
            orderId,
            gateway: event.gateway,
            eventId: event.eventId,
            kind: event.kind,
            orderStatus: decision.orderStatus ?? row.value.status
          })
        }).pipe(sql.withTransaction, Effect.catchTag("SqlError", Effect.die))

        const snapshot = yield* loadSnapshot(orderId)
        yield* scheduleSettlements(orderId, snapshot)
        return yield* startFulfilmentIfCleared(orderId, snapshot)
      }),

      SettleFunds: Effect.fnUntraced(function*({ address, payload }) {
        const orderId = address.entityId
        const snapshot = yield* change(orderId, PrimaryKey.value(payload), "funds_cleared", (status) =>
          Effect.gen(function*() {
            const payment = yield* store.findPayment(payload.paymentId)
            if (status === "paid" && payment?.status === "succeeded") yield* store.setStatus(orderId, "funds_cleared")
          }), { paymentId: payload.paymentId })
        return yield* startFulfilmentIfCleared(orderId, snapshot)
      }),

      RemindUnpaid: Effect.fnUntraced(function*({ address, payload }) {
        const orderId = address.entityId
        const snapshot = yield* loadSnapshot(orderId)
        if (snapshot.order.status !== "awaiting_payment") return false
        const checkoutUrl = yield* store.latestCheckoutUrl(orderId)
        yield* change(orderId, PrimaryKey.value(payload), "checkout_reminder", () =>
          notify.checkoutReminder(
            { id: orderId, contactEmail: snapshot.order.contactEmail, carrierLegalName: snapshot.order.carrier.legalName },
            payload.reminder,
            snapshot.order.quote.total,
            checkoutUrl
          ), { reminder: payload.reminder })
        yield* Effect.annotateLogs(Effect.logInfo("unpaid checkout reminder"), { orderId, reminder: payload.reminder })
        return true
      }),

      RecordRefund: Effect.fnUntraced(function*({ address, payload }) {
        const orderId = address.entityId
        return yield* change(orderId, PrimaryKey.value(payload), "refunded", (status) =>
          Effect.gen(function*() {
            const current = yield* loadSnapshot(orderId).pipe(Effect.orDie)
            const payment = current.order.payments.find((candidate) => candidate.id === payload.paymentId)
            if (payment === undefined || payment.status !== "succeeded") {
              return yield* invalidState(orderId, status, "refund", `payment ${payload.paymentId} is not a succeeded payment of this order`)
            }
            const refundedBefore = yield* store.refundedAmount(payment.id)
            const refundable = payment.amount.amount - refundedBefore
            if (payload.amount.amount <= 0 || payload.amount.amount > refundable) {
              return yield* invalidState(orderId, status, "refund", `the refund must be between 1 and ${refundable} cents`)
            }
            // Split in proportion to what each item was charged, so item totals account for every cent.
            const lines = current.order.quote.lines
            const weights = lines.map((line) => line.amount + (line.governmentFee?.amount ?? 0))
            const shares = allocate(payload.amount.amount, weights)
            yield* store.insertRefund(orderId, {
              id: payload.refundId,
              paymentId: payment.id,
              amount: payload.amount,
              allocations: lines.map((line, index) => ({ service: line.service, amount: shares[index] ?? 0 })),
              reason: payload.reason
            })
            yield* notify.refundIssued(
              { id: orderId, contactEmail: current.order.contactEmail, carrierLegalName: current.order.carrier.legalName },
              payload.refundId,
              payload.amount.amount
            )
            if (payload.amount.amount === refundable) {
              yield* store.setPaymentStatus(payment.id, "refunded")
              const othersSucceeded = current.order.payments.some((other) => other.id !== payment.id && other.status === "succeeded")
              if (!othersSucceeded) yield* store.setStatus(orderId, "refunded")
            }
          }), { refundId: payload.refundId, amount: payload.amount.amount })
      })
    }
  })
