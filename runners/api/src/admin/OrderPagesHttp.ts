/**
 * The order queue, the order detail page and its review actions. Approve,
 * cancel and refund send the Order entity's messages as the staff API does.
 * The entity writes the audit rows, and cancel and refund add a row naming
 * the staff member. Each action needs its permission in
 * `StaffPermissions` (403 otherwise), and an entity failure is shown as a
 * message on the detail page.
 */
import { HttpRouter, HttpServerRequest } from "@effect/platform"
import * as AuditLog from "@pw/db/AuditLog"
import { usd } from "@pw/domain/Money"
import { OrderId, OrderStatus } from "@pw/domain/Order"
import { Order } from "@pw/order/Order"
import { can, type StaffAction } from "@pw/staff/StaffPermissions"
import { Effect, Option, Schema } from "effect"
import { randomUUID } from "node:crypto"
import { dieOnDeliveryFailure } from "../EntityErrors.ts"
import { type ConsolePage, renderConsolePage, renderMessagePage } from "./AdminLayout.ts"
import { htmlResponse, seeOther } from "./AdminResponses.ts"
import { CurrentStaff, formPost, requireStaff } from "./AdminSession.ts"
import { refundAtGateway } from "../GatewayRefund.ts"
import { renderOrderDetail } from "./OrderDetailPage.ts"
import * as OrderQueries from "./OrderQueries.ts"
import { renderOrderQueue } from "./OrderQueuePage.ts"

/** Messages shown after a successful action, keyed by the `done` query parameter of the 303 target. */
const doneNotices: Readonly<Record<string, string>> = {
  approved: "The order is approved and its documents are delivered to the customer.",
  cancelled: "The order is cancelled.",
  refunded: "The refund is recorded.",
  uploaded: "The document is attached and the order is up for review."
}

const searchParam = (url: string, name: string): string | undefined =>
  new URL(url, "http://127.0.0.1").searchParams.get(name) ?? undefined

/** The 403 page of an action the member's role may not take; nothing was changed. */
export const forbidden = (action: StaffAction) =>
  htmlResponse(403, renderMessagePage(
    "Not permitted",
    `Your role may not ${action.replace(/([A-Z])/g, " $1").toLowerCase()}, so nothing was changed. Ask an admin if you need to.`
  ))

const orderNotFound = (orderId: string) =>
  htmlResponse(404, renderMessagePage("Order not found", `No order has the id ${orderId}. Check the id in the order queue.`))

/** A console page response for the current member. */
export const consoleResponse = (status: number, page: ConsolePage) =>
  Effect.map(CurrentStaff, (session) => htmlResponse(status, renderConsolePage(session, page)))

/** The `orderId` path parameter, when it is a well-formed order id. */
export const orderIdParam = Effect.map(HttpRouter.params, (params) => Option.liftPredicate(params["orderId"] ?? "", Schema.is(OrderId)))

/**
 * Renders the detail page of `orderId` with `status` and an optional
 * notice, or the 404 page when the order does not exist.
 */
export const orderDetailResponse = Effect.fn("OrderPagesHttp.orderDetailResponse")(function*(
  orderId: string,
  status: number,
  notice: ConsolePage["notice"]
) {
  const makeOrder = yield* Order.client
  const snapshot = yield* makeOrder(orderId).Get().pipe(
    dieOnDeliveryFailure,
    Effect.map(Option.some),
    Effect.catchTag("OrderNotFound", () => Effect.succeed(Option.none()))
  )
  if (Option.isNone(snapshot)) return orderNotFound(orderId)
  const order = snapshot.value.order
  const session = yield* CurrentStaff
  const refunds = yield* OrderQueries.orderRefunds(orderId)
  const timeline = yield* OrderQueries.orderTimeline(orderId)
  return yield* consoleResponse(status, {
    title: `Order ${orderId}`,
    section: "orders",
    notice,
    body: renderOrderDetail({ order, refunds, timeline }, session)
  })
})

/** GET /admin/orders: the queue, filtered by the `status` query parameter. */
export const showQueue = requireStaff(Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const requested = searchParam(request.url, "status")
  const status = Option.getOrUndefined(Option.liftPredicate(requested ?? "", Schema.is(OrderStatus)))
  const orders = yield* OrderQueries.listOrders(status)
  const unknownStatus = requested !== undefined && requested !== "" && status === undefined
  return yield* consoleResponse(unknownStatus ? 400 : 200, {
    title: "Orders",
    section: "orders",
    notice: unknownStatus ? { kind: "error", text: `There is no status "${requested}"; showing all orders.` } : undefined,
    body: renderOrderQueue(orders, status)
  })
}))

/** GET /admin/orders/:orderId: the detail page, with the notice of the action that led here. */
export const showOrder = requireStaff(Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const orderId = yield* orderIdParam
  if (Option.isNone(orderId)) return orderNotFound((yield* HttpRouter.params)["orderId"] ?? "")
  const done = doneNotices[searchParam(request.url, "done") ?? ""]
  return yield* orderDetailResponse(orderId.value, 200, done === undefined ? undefined : { kind: "success", text: done })
}))

/**
 * A review action on one order: checks the permission, runs `act` and
 * redirects (303) to the detail page with `done`, or shows the detail page with
 * the failure's message (409).
 */
const orderAction = <E extends { readonly message: string }, R>(
  action: StaffAction,
  done: string,
  act: (orderId: string, fields: Readonly<Record<string, string>>) => Effect.Effect<void, E, R>
) =>
  formPost((fields) =>
    Effect.gen(function*() {
      const session = yield* CurrentStaff
      if (!can(session.role, action)) {
        yield* Effect.annotateLogs(Effect.logWarning("staff action not permitted"), { accountId: session.accountId, action })
        return forbidden(action)
      }
      const orderId = yield* orderIdParam
      if (Option.isNone(orderId)) return orderNotFound((yield* HttpRouter.params)["orderId"] ?? "")
      const result = yield* Effect.either(act(orderId.value, fields))
      if (result._tag === "Left") {
        yield* Effect.annotateLogs(Effect.logInfo("staff action rejected"), {
          orderId: orderId.value,
          accountId: session.accountId,
          action,
          reason: result.left.message
        })
        return yield* orderDetailResponse(orderId.value, 409, { kind: "error", text: result.left.message })
      }
      yield* Effect.annotateLogs(Effect.logInfo("staff action taken"), { orderId: orderId.value, accountId: session.accountId, action })
      return seeOther(`/admin/orders/${encodeURIComponent(orderId.value)}?done=${done}`)
    })
  )

/** A form input that failed validation; `message` is shown on the page. */
class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", { message: Schema.String }) {}

const requiredText = (fields: Readonly<Record<string, string>>, name: string, label: string) => {
  const value = (fields[name] ?? "").trim()
  if (value === "") return Effect.fail(new InvalidInput({ message: `${label} is missing; fill it in and submit again.` }))
  if (value.length > 500) return Effect.fail(new InvalidInput({ message: `${label} has ${value.length} characters; the maximum is 500.` }))
  return Effect.succeed(value)
}

/** Parses a dollar amount such as `149` or `149.5` into cents. */
const parseCents = (text: string | undefined) => {
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec((text ?? "").trim())
  if (match === null) {
    return Effect.fail(new InvalidInput({ message: `The amount "${text ?? ""}" is not a dollar amount; enter it such as 149.00.` }))
  }
  return Effect.succeed(Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0")))
}

/**
 * Records `event` on order `orderId` with the signed-in member's id and
 * name, so the order's timeline shows who took the action. Each action is a
 * new row, so the request id is random.
 */
export const recordStaffAction = Effect.fn("OrderPagesHttp.recordStaffAction")(function*(
  orderId: string,
  event: string,
  data: Record<string, unknown>
) {
  const session = yield* CurrentStaff
  yield* AuditLog.record({
    entityType: "Order",
    entityId: orderId,
    requestId: randomUUID(),
    event,
    data: { staffId: session.accountId, staffName: session.name, ...data }
  })
})

/** POST /admin/orders/:orderId/approve: approves the order as the signed-in member. */
export const approveOrder = orderAction("approveOrder", "approved", (orderId) =>
  Effect.gen(function*() {
    const session = yield* CurrentStaff
    const makeOrder = yield* Order.client
    yield* makeOrder(orderId).Approve({ approvedBy: session.name, requestId: randomUUID() }).pipe(dieOnDeliveryFailure)
  }))

/** POST /admin/orders/:orderId/cancel: cancels an unpaid order with the form's reason. */
export const cancelOrder = orderAction("cancelOrder", "cancelled", (orderId, fields) =>
  Effect.gen(function*() {
    const reason = yield* requiredText(fields, "reason", "The reason")
    const makeOrder = yield* Order.client
    yield* makeOrder(orderId).Cancel({ reason, requestId: randomUUID() }).pipe(dieOnDeliveryFailure)
    yield* recordStaffAction(orderId, "staff.order_cancelled", { reason })
  }))

/**
 * POST /admin/orders/:orderId/refund: refunds part or all of a succeeded
 * payment at its gateway, then records the refund on the order.
 */
export const refundOrder = orderAction("refundOrder", "refunded", (orderId, fields) =>
  Effect.gen(function*() {
    const reason = yield* requiredText(fields, "reason", "The reason")
    const amount = yield* parseCents(fields["amount"])
    const paymentId = fields["paymentId"] ?? ""
    const makeOrder = yield* Order.client
    const snapshot = yield* makeOrder(orderId).Get().pipe(dieOnDeliveryFailure)
    const payment = snapshot.order.payments.find((candidate) => candidate.id === paymentId)
    if (payment === undefined || payment.status !== "succeeded") {
      return yield* new InvalidInput({ message: `Payment ${paymentId} is not a succeeded payment of this order; choose one from the list.` })
    }
    const refund = yield* refundAtGateway(payment.gateway, {
      orderId,
      paymentReference: payment.id.slice(payment.gateway.length + 1),
      amount: usd(amount),
      // One refund per payment, amount and reason, as in the staff API; a resubmitted form replays it.
      idempotencyKey: `refund:${payment.id}:${amount}:${reason}`
    })
    yield* makeOrder(orderId).RecordRefund({ refundId: refund.refundId, paymentId: payment.id, amount: usd(amount), reason }).pipe(
      dieOnDeliveryFailure
    )
    yield* recordStaffAction(orderId, "staff.order_refunded", { amount, reason })
  }))
