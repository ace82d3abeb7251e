/**
 * Creating an order: the checks a request gets before it reaches the Order
 * entity, the access token, and the carrier's registration once the order is
 * accepted. The HTTP API and the MCP server both create orders through it.
 */
import { CreateOrderRequest } from "@pw/api/Api"
import { BadRequest, type Conflict } from "@pw/api/ApiErrors"
import { Carrier } from "@pw/carrier/Carrier"
import { Order, type OrderSnapshot } from "@pw/order/Order"
import { Clock, Context, Effect, Layer, Schema } from "effect"
import * as Credentials from "./Credentials.ts"
import { dieOnDeliveryFailure, fromOrderError } from "./EntityErrors.ts"
import { Secrets } from "./Secrets.ts"

const encodeRequest = Schema.encodeSync(CreateOrderRequest)

/** An accepted order and the access token its reads, checkout and downloads require. */
export interface AcceptedOrder {
  readonly snapshot: OrderSnapshot
  readonly accessToken: string
}

/** Creates orders; a repeated idempotency key returns the first order. */
export class OrderIntake extends Context.Tag("@pw/api-runner/OrderIntake")<OrderIntake, {
  readonly create: (
    request: CreateOrderRequest,
    idempotencyKey: string | undefined
  ) => Effect.Effect<AcceptedOrder, BadRequest | Conflict>
}>() {
  /** Needs the Order and Carrier entity clients and {@link Secrets}. */
  static readonly layer = Layer.effect(
    OrderIntake,
    Effect.gen(function*() {
      const makeOrder = yield* Order.client
      const makeCarrier = yield* Carrier.client
      const secrets = yield* Secrets

      const create = Effect.fn("OrderIntake.create")(function*(request: CreateOrderRequest, idempotencyKey: string | undefined) {
        // A certification covers a calendar year that has ended or is under way, never a later one.
        const currentYear = new Date(yield* Clock.currentTimeMillis).getUTCFullYear()
        const certifiedYear = request.cpniCertification?.calendarYear
        if (certifiedYear !== undefined && certifiedYear > currentYear) {
          return yield* new BadRequest({
            message: `cpniCertification.calendarYear ${certifiedYear} is in the future; give the year the certification covers, ${currentYear - 1} for the one filed by March 1, ${currentYear}`,
            field: "cpniCertification.calendarYear"
          })
        }

        const orderId = Credentials.makeOrderId(idempotencyKey)
        const accessToken = Credentials.accessToken(secrets.signingKey, orderId)

        const snapshot = yield* makeOrder(orderId).Create({
          carrier: request.carrier,
          items: request.items,
          paymentMethod: request.paymentMethod,
          ...(request.cpniCertification === undefined ? {} : { cpniCertification: request.cpniCertification }),
          ...(request.contactEmail === undefined ? {} : { contactEmail: request.contactEmail }),
          accessTokenHash: Credentials.sha256Hex(accessToken),
          requestHash: Credentials.sha256Hex(JSON.stringify(encodeRequest(request)))
        }).pipe(dieOnDeliveryFailure, Effect.mapError(fromOrderError))

        // Registered only after the order is accepted, so a rejected order
        // leaves no carrier row. A retry with the same idempotency key
        // registers it if a crash came between the two.
        yield* makeCarrier(request.carrier.frn).Register({ profile: request.carrier, requestId: `order:${orderId}` }).pipe(
          dieOnDeliveryFailure
        )
        return { snapshot, accessToken }
      }, (effect, request) => Effect.annotateLogs(effect, { frn: request.carrier.frn }))

      return { create }
    })
  )
}
