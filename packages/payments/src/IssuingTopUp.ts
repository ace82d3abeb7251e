/**
 * Tops up the Stripe Issuing balance, which funds the virtual card that pays
 * filing fees, by an order's total once the funds of its Stripe payment
 * cleared. Off unless `STRIPE_ISSUING_TOPUP` is true.
 */
import { usd } from "@pw/domain/Money"
import { FundsCleared } from "@pw/order/FundsCleared"
import { Config, Effect, Layer, Option } from "effect"
import { Payments } from "./Payments.ts"

/** Whether funds clearing tops up the Issuing balance. */
export const IssuingTopUpEnabled = Config.boolean("STRIPE_ISSUING_TOPUP").pipe(
  Config.withDescription("Top up the Stripe Issuing balance by the order total when a card, ACH or Klarna order's funds clear"),
  Config.withDefault(false)
)

/**
 * The FundsCleared hook. The top-up's idempotency key is derived from the
 * order, so the hook running again for the same order tops up once. A failed
 * top-up is logged for staff and does not hold up the order.
 */
export const layer = Layer.effect(
  FundsCleared,
  Effect.gen(function*() {
    const enabled = yield* IssuingTopUpEnabled
    const payments = yield* Payments
    return FundsCleared.of({
      cleared: (order) =>
        Effect.gen(function*() {
          if (!enabled || Option.isNone(payments.stripe)) return
          if (!order.payments.some((payment) => payment.gateway === "stripe" && payment.status === "succeeded")) return
          const topUp = yield* payments.stripe.value.gateway.topUpIssuing(usd(order.quote.total), `topup:${order.id}`)
          yield* Effect.annotateLogs(Effect.logInfo("issuing balance topped up"), {
            orderId: order.id,
            topUpId: topUp.topUpId,
            amount: order.quote.total
          })
        }).pipe(
          Effect.catchTag("GatewayError", (error) =>
            Effect.annotateLogs(Effect.logError("issuing top-up failed; fund the filing card by hand"), {
              orderId: order.id,
              reason: error.message
            }))
        )
    })
  })
)
