/**
 * The payment gateways this process uses. A gateway is on when its key
 * setting is present (STRIPE_SECRET_KEY, PAYPAL_CLIENT_ID, SHKEEPER_API_URL);
 * a payment method whose gateway is off is paid through the sandbox, which
 * moves no money and is refused when APP_ENV is production.
 */
import type { PaymentGateway } from "@pw/domain/Order"
import type { PaymentMethod } from "@pw/domain/PaymentMethod"
import { Config, Context, Effect, Layer, Option } from "effect"
import { PayPalGateway } from "./PayPalGateway.ts"
import { PayPalWebhook } from "./PayPalWebhook.ts"
import { problemsOf, UnsafePaymentSettings } from "./ProductionGuard.ts"
import { ShkeeperGateway } from "./ShkeeperGateway.ts"
import { ShkeeperWebhook } from "./ShkeeperWebhook.ts"
import { StripeGateway } from "./StripeGateway.ts"
import { StripeWebhook } from "./StripeWebhook.ts"

/** The gateways that are on, each with its notification verifier. */
export class Payments extends Context.Tag("@pw/payments/Payments")<Payments, {
  readonly stripe: Option.Option<{ readonly gateway: StripeGateway["Type"]; readonly webhook: StripeWebhook["Type"] }>
  readonly paypal: Option.Option<{ readonly gateway: PayPalGateway["Type"]; readonly webhook: PayPalWebhook["Type"] }>
  readonly shkeeper: Option.Option<{ readonly gateway: ShkeeperGateway["Type"]; readonly webhook: ShkeeperWebhook["Type"] }>
  /** The gateway that takes `method`, or `undefined` when none does (production without that gateway). */
  readonly gatewayFor: (method: PaymentMethod) => PaymentGateway | undefined
}>() {}

const present = (name: string) => Config.option(Config.string(name)).pipe(Config.map(Option.isSome))
const optionalUrl = (name: string) => Config.option(Config.string(name)).pipe(Config.map(Option.getOrUndefined))

const settings = Config.all({
  appEnv: Config.string("APP_ENV").pipe(
    Config.withDescription("development or production; production refuses the sandbox gateway and test hosts"),
    Config.withDefault("development")
  ),
  stripeSecretKey: present("STRIPE_SECRET_KEY"),
  stripeWebhookSecret: present("STRIPE_WEBHOOK_SECRET"),
  stripeApiBase: optionalUrl("STRIPE_API_BASE"),
  paypalClientId: present("PAYPAL_CLIENT_ID"),
  paypalWebhookId: present("PAYPAL_WEBHOOK_ID"),
  paypalApiBase: optionalUrl("PAYPAL_API_BASE"),
  shkeeperApiUrl: optionalUrl("SHKEEPER_API_URL"),
  shkeeperApiKey: present("SHKEEPER_API_KEY")
})

/** The gateways configured from the environment; fails at start-up on unsafe production settings. */
export const layer = Layer.scoped(
  Payments,
  Effect.gen(function*() {
    const current = yield* settings
    const problems = problemsOf(current)
    if (problems.length > 0) return yield* new UnsafePaymentSettings({ problems })
    const production = current.appEnv === "production"

    const stripe = current.stripeSecretKey
      ? Option.some(yield* Effect.map(
        Layer.build(Layer.merge(StripeGateway.layer, StripeWebhook.layer)),
        (context) => ({ gateway: Context.get(context, StripeGateway), webhook: Context.get(context, StripeWebhook) })
      ))
      : Option.none()
    const paypal = current.paypalClientId
      ? Option.some(yield* Effect.map(
        Layer.build(Layer.merge(PayPalGateway.layer, PayPalWebhook.layer)),
        (context) => ({ gateway: Context.get(context, PayPalGateway), webhook: Context.get(context, PayPalWebhook) })
      ))
      : Option.none()
    const shkeeper = current.shkeeperApiUrl !== undefined
      ? Option.some(yield* Effect.map(
        Layer.build(Layer.merge(ShkeeperGateway.layer, ShkeeperWebhook.layer)),
        (context) => ({ gateway: Context.get(context, ShkeeperGateway), webhook: Context.get(context, ShkeeperWebhook) })
      ))
      : Option.none()

    const gatewayFor = (method: PaymentMethod): PaymentGateway | undefined => {
      const configured: PaymentGateway | undefined = method === "paypal"
        ? Option.isSome(paypal) ? "paypal" : undefined
        : method === "crypto"
        ? Option.isSome(shkeeper) ? "shkeeper" : undefined
        : Option.isSome(stripe) ? "stripe" : undefined
      // A method whose gateway is off falls back to the sandbox only outside production.
      return configured ?? (production ? undefined : "sandbox")
    }

    yield* Effect.annotateLogs(Effect.logInfo("payment gateways ready"), {
      stripe: Option.isSome(stripe),
      paypal: Option.isSome(paypal),
      shkeeper: Option.isSome(shkeeper)
    })
    return { stripe, paypal, shkeeper, gatewayFor }
  })
)
