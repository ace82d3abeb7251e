/**
 * The pay page's routes, added to the API's router as plain HTML routes:
 * `GET /v1/orders/{orderId}/pay?token=` renders the order and its pay
 * button, and the button's `POST` starts the checkout as
 * `POST /v1/orders/{orderId}/checkout` does. A real gateway's payment page
 * follows with 303. A sandbox payment is recorded at once, and the 303 leads
 * back to the page, which then shows the new status.
 */
import { HttpApiBuilder, HttpMiddleware, HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { OrderId } from "@pw/domain/Order"
import { Order } from "@pw/order/Order"
import { Effect, Option, ParseResult, Schema } from "effect"
import * as Credentials from "./Credentials.ts"
import { dieOnDeliveryFailure } from "./EntityErrors.ts"
import * as OrderCheckout from "./OrderCheckout.ts"
import { renderMessagePage, renderPayPage } from "./PayPage.ts"

const TokenParams = Schema.Struct({ token: Schema.optional(Schema.String) })
const PathParams = Schema.Struct({ orderId: Schema.String })

/** Headers of every pay page response: never cached, and the token in its URL is never sent on as a referrer. */
const pageHeaders = {
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'"
}

const htmlResponse = (status: number, body: string) =>
  HttpServerResponse.text(body, { status, contentType: "text/html; charset=utf-8", headers: pageHeaders })

const unauthorized = () =>
  htmlResponse(401, renderMessagePage(
    "Link not valid",
    "This pay link is missing its token or the token does not belong to the order. Use the checkoutUrl returned when the order was created."
  ))

/** The GET and POST routes of the pay page. Needs the Order entity client, Payments and `PW_PUBLIC_URL`. */
export const PayPageHttp = HttpApiBuilder.Router.use((router) =>
  Effect.gen(function*() {
    const makeOrder = yield* Order.client
    const checkouts = yield* OrderCheckout.make

    /** The order when `token` is its access token; none for a malformed id, an unknown order or a wrong token. */
    const authorizedSnapshot = Effect.fn("PayPageHttp.authorizedSnapshot")(function*(orderId: string, token: string | undefined) {
      if (token === undefined || token === "" || !Schema.is(OrderId)(orderId)) return Option.none()
      const snapshot = yield* makeOrder(orderId).Get().pipe(
        dieOnDeliveryFailure,
        Effect.map(Option.some),
        Effect.catchTag("OrderNotFound", () => Effect.succeed(Option.none()))
      )
      return Option.filter(snapshot, (found) => Credentials.matchesTokenHash(token, found.accessTokenHash))
    })

    const show = Effect.gen(function*() {
      const { orderId } = yield* HttpRouter.schemaPathParams(PathParams)
      const { token } = yield* HttpServerRequest.schemaSearchParams(TokenParams)
      const snapshot = yield* authorizedSnapshot(orderId, token)
      if (Option.isNone(snapshot) || token === undefined) {
        yield* Effect.annotateLogs(Effect.logInfo("pay page link rejected"), { orderId })
        return unauthorized()
      }
      return htmlResponse(200, renderPayPage(snapshot.value.order, token))
    })

    const pay = Effect.gen(function*() {
      const { orderId } = yield* HttpRouter.schemaPathParams(PathParams)
      const { token } = yield* HttpServerRequest.schemaBodyUrlParams(TokenParams).pipe(
        Effect.orElseSucceed(() => ({ token: undefined }))
      )
      const snapshot = yield* authorizedSnapshot(orderId, token)
      if (Option.isNone(snapshot) || token === undefined) {
        yield* Effect.annotateLogs(Effect.logInfo("pay page payment rejected"), { orderId })
        return unauthorized()
      }
      // NOTE: a crypto order is opened with the gateway's default coin, because the form offers no coin choice.
      const started = yield* checkouts.start(snapshot.value, undefined).pipe(Effect.either)
      if (started._tag === "Left") {
        yield* Effect.annotateLogs(Effect.logInfo("pay page checkout rejected"), { orderId, reason: started.left.message })
        return htmlResponse(409, renderMessagePage("Payment not started", started.left.message))
      }
      const checkout = started.right.checkout
      yield* Effect.annotateLogs(Effect.logInfo("pay page checkout started"), { orderId, gateway: checkout?.gateway ?? "sandbox" })
      // The relative location resolves against this page's URL, so it works under any public base URL.
      const location = checkout === undefined ? `pay?token=${encodeURIComponent(token)}` : checkout.redirectUrl
      return HttpServerResponse.empty({ status: 303, headers: { ...pageHeaders, location } })
    })

    // A repeated token parameter fails to parse and is treated as a wrong token.
    const rejectUnparsed = <E, R>(effect: Effect.Effect<HttpServerResponse.HttpServerResponse, E | ParseResult.ParseError, R>) =>
      Effect.catchIf(effect, ParseResult.isParseError, () => Effect.succeed(unauthorized()))
    // The URLs contain the access token, so the access log must not record them.
    yield* router.get("/v1/orders/:orderId/pay", HttpMiddleware.withLoggerDisabled(rejectUnparsed(show)))
    yield* router.post("/v1/orders/:orderId/pay", HttpMiddleware.withLoggerDisabled(rejectUnparsed(pay)))
  })
)
