/**
 * A customer's and staff member's HTTP calls around payment, against a
 * running application, with responses decoded by the API's own schemas.
 */
import { CreatedOrder, CustomerOrder } from "@pw/api/Api"
import { OrderView } from "@pw/domain/Order"
import type { OrderStatus } from "@pw/domain/Order"
import type { PaymentMethod } from "@pw/domain/PaymentMethod"
import { Schema } from "effect"
import { otelcoOrder } from "./Customer.ts"
import { eventually } from "./PlatformProcess.ts"

/**
 * Polls, 100 ms apart, allowed for an order's CPNI workflow to render its
 * document and convert it with LibreOffice, which can take a minute on a
 * busy machine.
 */
export const workflowPollAttempts = 1800

/** The address order e-mails go to. */
export const contactEmail = "compliance@example.com"

const decodeCreated = Schema.decodeUnknownSync(CreatedOrder)
const decodeOrder = Schema.decodeUnknownSync(CustomerOrder)
const decodeOrderView = Schema.decodeUnknownSync(OrderView)
const decodeFields = Schema.decodeUnknownSync(Schema.Record({ key: Schema.String, value: Schema.Unknown }))

/** The uniform error body of every 4xx response. */
export const ErrorBody = Schema.Struct({
  _tag: Schema.String,
  message: Schema.String,
  field: Schema.optional(Schema.String)
})

/** A response: its status and its body, parsed when it is JSON. */
export interface Reply {
  readonly status: number
  readonly body: unknown
}

/**
 * The Otelco order of `test/data` paid by `paymentMethod`, with the contact
 * address, for `items` (by default the CPNI certification alone).
 */
export const otelcoOrderBody = (
  paymentMethod: PaymentMethod,
  items: ReadonlyArray<{ readonly service: string }> = [{ service: "cpni-certification" }]
): Record<string, unknown> => ({ ...decodeFields(otelcoOrder), items, paymentMethod, contactEmail })

const readReply = async (response: Response): Promise<Reply> => {
  const text = await response.text()
  const body: unknown = response.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : text
  return { status: response.status, body }
}

const expectStatus = (reply: Reply, status: number, request: string): unknown => {
  if (reply.status !== status) {
    throw new Error(`${request}: expected HTTP ${status}, got ${reply.status}: ${JSON.stringify(reply.body)}`)
  }
  return reply.body
}

/** Calls against the application at `baseUrl`. */
export const paymentApi = (baseUrl: string) => {
  const post = (path: string, body: string | undefined, headers: Readonly<Record<string, string>> = {}) =>
    fetch(`${baseUrl}${path}`, {
      method: "POST",
      headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(30_000)
    }).then(readReply)

  const getOrder = async (orderId: string, token: string) =>
    decodeOrder(expectStatus(
      await fetch(`${baseUrl}/v1/orders/${orderId}`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(30_000)
      }).then(readReply),
      200,
      `GET order ${orderId}`
    ))

  return {
    /** Posts `body` as is to `path`, such as a notification with its signature headers. */
    post,

    /** Places an order whose id `idempotencyKey` keeps stable across runs. */
    createOrder: async (body: unknown, idempotencyKey: string) =>
      decodeCreated(expectStatus(
        await post("/v1/orders", JSON.stringify(body), { "idempotency-key": idempotencyKey }),
        201,
        "POST /v1/orders"
      )),

    getOrder,

    /** Opens the order's checkout at its gateway, in `coin` for crypto. */
    checkout: async (orderId: string, token: string, coin?: string) =>
      decodeOrder(expectStatus(
        await post(
          `/v1/orders/${orderId}/checkout${coin === undefined ? "" : `?coin=${encodeURIComponent(coin)}`}`,
          undefined,
          { authorization: `Bearer ${token}` }
        ),
        200,
        `checkout of order ${orderId}`
      )),

    /** Refunds `amount` cents of a payment as staff. */
    refund: async (orderId: string, staffKey: string, refund: { readonly paymentId: string; readonly amount: number; readonly reason: string }) =>
      decodeOrderView(expectStatus(
        await post(`/v1/staff/orders/${orderId}/refunds`, JSON.stringify(refund), { "x-staff-key": staffKey }),
        200,
        `refund of order ${orderId}`
      )),

    /** Polls the order until `accept` holds, within the bounds of `eventually`. */
    orderWhen: (orderId: string, token: string, description: string, accept: (order: CustomerOrder) => boolean) =>
      eventually(`order ${orderId} to be ${description}`, async () => {
        const order = await getOrder(orderId, token)
        return accept(order) ? order : undefined
      }),

    /** Polls the order until its status is `status`, every 100 ms at most `attempts` times. */
    orderIn: (orderId: string, token: string, status: OrderStatus, attempts = 600) =>
      eventually(`order ${orderId} to be ${status}`, async () => {
        const order = await getOrder(orderId, token)
        return order.status === status ? order : undefined
      }, { attempts })
  }
}
