/**
 * Handlers of the staff group: review and approve orders.
 */
import { HttpApiBuilder } from "@effect/platform"
import { PlatformApi, StaffOrder } from "@pw/api/Api"
import { StaffMember } from "@pw/api/Security"
import * as AuditLog from "@pw/db/AuditLog"
import { Order } from "@pw/order/Order"
import { Conflict } from "@pw/api/ApiErrors"
import { usd } from "@pw/domain/Money"
import { documentProgress } from "@pw/domain/DocumentProgress"
import type { OrderView, PaymentGateway } from "@pw/domain/Order"
import type { RefundRequest } from "@pw/payments/Gateway"
import { Payments } from "@pw/payments/Payments"
import { Effect } from "effect"
import { randomUUID } from "node:crypto"
import { dieOnDeliveryFailure, fromOrderError } from "./EntityErrors.ts"
import * as GatewayRefund from "./GatewayRefund.ts"
import { requireStaffPermission } from "./StaffPermission.ts"

/** The order with its document progress. */
const staffView = (order: OrderView): StaffOrder =>
  new StaffOrder({ ...order, documentProgress: documentProgress(order.items, order.documents) })

/** The staff group's handlers. */
export const StaffHttp = HttpApiBuilder.group(PlatformApi, "staff", (handlers) =>
  Effect.gen(function*() {
    const makeOrder = yield* Order.client
    const payments = yield* Payments

    /** Refunds at the gateway that took the payment; a gateway that does not refund is a conflict. */
    const refundAtGateway = (gateway: PaymentGateway, request: RefundRequest) =>
      GatewayRefund.refundAtGateway(gateway, request).pipe(
        Effect.catchTag("RefundNotTaken", (error) => Effect.fail(new Conflict({ message: error.message, field: error.field }))),
        Effect.provideService(Payments, payments)
      )

    return handlers
      .handle("getOrder", ({ path }) =>
        makeOrder(path.orderId).Get().pipe(
          dieOnDeliveryFailure,
          Effect.mapError(fromOrderError),
          Effect.map((snapshot) => staffView(snapshot.order))
        ))
      .handle("approve", ({ path }) =>
        Effect.gen(function*() {
          yield* requireStaffPermission("approveOrder")
          const staff = yield* StaffMember
          const snapshot = yield* makeOrder(path.orderId).Approve({ approvedBy: staff.name, requestId: randomUUID() }).pipe(
            dieOnDeliveryFailure,
            Effect.mapError(fromOrderError)
          )
          yield* Effect.annotateLogs(Effect.logInfo("order approved"), { orderId: path.orderId, approvedBy: staff.name })
          return staffView(snapshot.order)
        }))
      .handle("refund", ({ path, payload }) =>
        Effect.gen(function*() {
          yield* requireStaffPermission("refundOrder")
          const snapshot = yield* makeOrder(path.orderId).Get().pipe(dieOnDeliveryFailure, Effect.mapError(fromOrderError))
          const payment = snapshot.order.payments.find((candidate) => candidate.id === payload.paymentId)
          if (payment === undefined || payment.status !== "succeeded") {
            return yield* new Conflict({
              message: `payment ${payload.paymentId} is not a succeeded payment of order ${path.orderId}`,
              field: "paymentId"
            })
          }
          const refund = yield* refundAtGateway(payment.gateway, {
            orderId: path.orderId,
            paymentReference: payment.id.slice(payment.gateway.length + 1),
            amount: usd(payload.amount),
            // One refund per payment, amount and reason; a retried request replays it.
            idempotencyKey: `refund:${payment.id}:${payload.amount}:${payload.reason}`
          })
          const recorded = yield* makeOrder(path.orderId).RecordRefund({
            refundId: refund.refundId,
            paymentId: payment.id,
            amount: usd(payload.amount),
            reason: payload.reason
          }).pipe(dieOnDeliveryFailure, Effect.mapError(fromOrderError))
          // Keyed by the refund, so a retried request records the staff member once.
          const staff = yield* StaffMember
          yield* AuditLog.record({
            entityType: "Order",
            entityId: path.orderId,
            requestId: `staff-refund:${refund.refundId}`,
            event: "staff.order_refunded",
            data: { staffName: staff.name, amount: payload.amount, reason: payload.reason }
          })
          yield* Effect.annotateLogs(Effect.logInfo("order refunded"), {
            orderId: path.orderId,
            paymentId: payment.id,
            refundId: refund.refundId,
            amount: payload.amount
          })
          return staffView(recorded.order)
        }))
  }))
