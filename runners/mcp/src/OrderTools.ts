/**
 * The public order tools. `create_order` sends the order to the Order entity
 * through {@link OrderIntake}, as `POST /v1/orders` does, and returns the
 * pay link a person opens to pay. This server never takes a payment.
 * `get_order_status` reads the order from PostgreSQL and checks the access
 * token against the stored hash.
 */
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { CreateOrderRequest } from "@pw/api/Api"
import * as Credentials from "@pw/api-runner/Credentials"
import { OrderIntake } from "@pw/api-runner/OrderIntake"
import { DocumentProgress, documentProgress } from "@pw/domain/DocumentProgress"
import { OrderView } from "@pw/domain/Order"
import { PublicUrl } from "@pw/order/OrderNotifications"
import * as OrderStore from "@pw/order/OrderStore"
import { Duration, Effect, Option, Schema } from "effect"
import { z } from "zod"
import { itemShape, paymentMethodInput } from "./CatalogTools.ts"
import { decodeInput, jsonResult, makeRunner, ToolFailure } from "./ToolResult.ts"

const encodeOrder = Schema.encodeSync(OrderView)
const encodeProgress = Schema.encodeSync(DocumentProgress)

const carrierShape = z.object({
  frn: z.string().describe("FCC Registration Number, 10 digits with leading zeros"),
  legalName: z.string().describe("Legal name as registered with the FCC"),
  filer499Id: z.string().describe("USAC Form 499 Filer ID, 6 digits"),
  address: z.object({
    street: z.string(),
    city: z.string(),
    state: z.string().describe("Two-letter US state code"),
    postalCode: z.string().describe("ZIP code such as 04353 or 04353-1234")
  })
})

const orderStatusFields = {
  orderId: z.string(),
  status: z.string(),
  total: z.number().describe("USD cents"),
  checkoutUrl: z.string().optional()
}

/** Registers `create_order` and `get_order_status` on `server`. Needs {@link OrderIntake}, PostgreSQL and `PW_PUBLIC_URL`. */
export const register = Effect.fn("OrderTools.register")(function*(server: McpServer) {
  const intake = yield* OrderIntake
  const store = yield* OrderStore.make
  const publicUrl = (yield* PublicUrl).replace(/\/+$/, "")
  const run = makeRunner(yield* Effect.runtime<never>())

  /** The link of the pay page, where a person reviews the order and pays. */
  const checkoutUrl = (orderId: string, accessToken: string) =>
    `${publicUrl}/v1/orders/${orderId}/pay?token=${encodeURIComponent(accessToken)}`

  server.registerTool("create_order", {
    title: "Create an order",
    description:
      "Creates an order for a carrier, priced for the payment method, awaiting payment. Returns the order id, the access token " +
      "that get_order_status needs, and checkoutUrl: give that link to a person, who pays there. This tool takes no payment. " +
      "The same idempotencyKey returns the same order.",
    inputSchema: {
      carrier: carrierShape.describe("The carrier the services are for"),
      items: z.array(itemShape).describe("The services to order, at least one"),
      paymentMethod: paymentMethodInput,
      cpniCertification: z.record(z.unknown()).optional().describe(
        "Required with a cpni-certification item: officerName, officerTitle, calendarYear, operatingProcedures, " +
          "complaints {improperAccessByEmployees, improperDisclosureToUnauthorizedIndividuals, improperOnlineAccess} and dataBrokerActions"
      ),
      contactEmail: z.string().optional().describe("Address for order, payment and delivery e-mails"),
      idempotencyKey: z.string().min(1).max(255).optional().describe("Any string naming this order; repeating it returns the first order")
    },
    outputSchema: z.object({ ...orderStatusFields, accessToken: z.string() }).passthrough(),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false }
  }, ({ idempotencyKey, ...body }) =>
    run("create_order", Effect.gen(function*() {
      const request = yield* decodeInput(CreateOrderRequest, body)
      const [elapsed, accepted] = yield* intake.create(request, idempotencyKey).pipe(
        Effect.mapError((error) => new ToolFailure({ message: error.field === undefined ? error.message : `${error.field}: ${error.message}` })),
        Effect.timed
      )
      const order = accepted.snapshot.order
      yield* Effect.annotateLogs(Effect.logInfo("order created"), { orderId: order.id, millis: Duration.toMillis(elapsed) })
      return jsonResult({
        orderId: order.id,
        accessToken: accepted.accessToken,
        status: order.status,
        total: order.quote.total,
        checkoutUrl: checkoutUrl(order.id, accepted.accessToken),
        quote: encodeOrder(order).quote
      })
    })))

  server.registerTool("get_order_status", {
    title: "Get an order's status",
    description: "Returns an order's status, items, quote, payments and document progress. Needs the accessToken create_order returned.",
    inputSchema: {
      orderId: z.string().describe("Order id such as ord_abcdefghijklmnopqrst"),
      accessToken: z.string().describe("The accessToken create_order returned for this order")
    },
    outputSchema: z.object(orderStatusFields).passthrough(),
    annotations: { readOnlyHint: true, openWorldHint: false }
  }, ({ orderId, accessToken }) =>
    run("get_order_status", Effect.gen(function*() {
      const snapshot = yield* store.snapshot(orderId)
      if (Option.isNone(snapshot)) {
        return yield* new ToolFailure({ message: `order ${JSON.stringify(orderId)} not found; use the orderId create_order returned` })
      }
      if (!Credentials.matchesTokenHash(accessToken, snapshot.value.accessTokenHash)) {
        return yield* new ToolFailure({ message: `the access token does not belong to order ${orderId}; use the accessToken create_order returned` })
      }
      const order = snapshot.value.order
      return jsonResult({
        orderId: order.id,
        status: order.status,
        total: order.quote.total,
        ...(order.status === "awaiting_payment" ? { checkoutUrl: checkoutUrl(order.id, accessToken) } : {}),
        documentProgress: encodeProgress(documentProgress(order.items, order.documents)),
        order: encodeOrder(order)
      })
    }).pipe(Effect.annotateLogs({ orderId }))))
})
