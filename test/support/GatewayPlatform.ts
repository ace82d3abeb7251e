/**
 * The whole application in the test process, as `InProcessPlatform.ts` runs
 * it, with every payment gateway pointed at its local double: Stripe,
 * PayPal (webhooks verified by postback to the double), SHKeeper, and mail
 * sent over SMTP to a sink. The doubles start first, so their addresses go
 * into the application's config map.
 *
 * The HTTP server listens on a free port before the application is built,
 * because the SHKeeper callback URL is configuration read at start-up, and
 * the API is then served on it. PayPal webhooks
 * are verified by postback, because the assembled application fetches PayPal
 * certificates over https with its own fetch client and takes no other
 * fetcher, while the double serves its certificate nowhere.
 */
import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import type { SqlClient } from "@effect/sql"
import * as HttpServerLive from "@pw/api-runner/HttpServer"
import { EntitiesLive } from "@pw/platform/Platform"
import * as SingleProcessCluster from "@pw/runtime/SingleProcessCluster"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { ConfigProvider, Effect, Layer, ManagedRuntime } from "effect"
import { createServer } from "node:http"
import { PayPalDouble } from "../doubles/PayPalDouble.ts"
import { ShkeeperDouble } from "../doubles/ShkeeperDouble.ts"
import { SmtpSink, type SmtpSinkServer } from "../doubles/SmtpSink.ts"
import { StripeDouble, type StripeDoubleService } from "../doubles/StripeDouble.ts"
import * as TestDatabase from "./TestDatabase.ts"

/** The staff key the application accepts in `X-Staff-Key`. */
export const staffApiKey = "payments-test-staff-key"

/** Signing secret of the Stripe webhook endpoint, shared by the application and the Stripe double. */
export const stripeWebhookSecret = "whsec_payments_test"

/** The SHKeeper API key, which also signs its callbacks. */
export const shkeeperApiKey = "payments-test-shkeeper-key"

/** The gateways that post notifications to the application. */
export type NotifyingGateway = "stripe" | "paypal" | "shkeeper"

/** A running application with its gateway doubles. */
export interface GatewayPlatform {
  /** Such as `http://127.0.0.1:40123`. */
  readonly baseUrl: string
  /** The application's webhook URL of `gateway`. */
  readonly webhookUrl: (gateway: NotifyingGateway) => string
  readonly stripe: StripeDoubleService
  readonly paypal: PayPalDouble["Type"]
  readonly shkeeper: ShkeeperDouble["Type"]
  readonly smtp: SmtpSinkServer
  /**
   * Sets the Stripe double's clock to the real time plus `offsetMillis`. The
   * double stamps charges, `available_on` and webhook signatures with it, so
   * reset it to 0 before sending webhooks the application must accept.
   */
  readonly setStripeClockOffset: (offsetMillis: number) => void
  /** Runs an effect against the application's database, such as a query. */
  readonly run: <A, E>(effect: Effect.Effect<A, E, SqlClient.SqlClient>) => Promise<A>
  /** Stops the application, the doubles, PostgreSQL and the object store, and removes the data folder. */
  readonly dispose: () => Promise<void>
}

/** The API of `runners/api/src/HttpServer.ts`, served on the `HttpServer` it is given. */
const ServedApi = HttpServerLive.served

/** A server listening on a port of 127.0.0.1 that the kernel picks. */
const ListeningServer = NodeHttpServer.layer(createServer, { host: "127.0.0.1", port: 0 })

/** Reads the base URL of the listening server. */
const serverBaseUrl = Effect.flatMap(HttpServer.HttpServer, (server) =>
  server.address._tag === "TcpAddress"
    ? Effect.succeed(`http://127.0.0.1:${server.address.port}`)
    : Effect.dieMessage(`the test HTTP server listens on ${server.address._tag}, expected a TCP port`))

/** The application's settings: every gateway on its double, mail to the sink, quick outbox passes. */
const settingsFor = (options: {
  readonly baseUrl: string
  readonly dataDirectory: string
  readonly stripe: StripeDoubleService
  readonly paypal: PayPalDouble["Type"]
  readonly shkeeper: ShkeeperDouble["Type"]
  readonly smtp: SmtpSinkServer
}) =>
  new Map([
    ["PW_DATA_DIR", options.dataDirectory],
    ["PW_PUBLIC_URL", options.baseUrl],
    ["STAFF_API_KEY", staffApiKey],
    ["PW_SIGNING_SECRET", "payments-test-signing-secret-of-at-least-32-bytes"],
    ["STRIPE_SECRET_KEY", "sk_test_payments"],
    ["STRIPE_WEBHOOK_SECRET", stripeWebhookSecret],
    ["STRIPE_API_BASE", options.stripe.url],
    ["STRIPE_REQUEST_TIMEOUT", "5 seconds"],
    ["PAYPAL_CLIENT_ID", options.paypal.clientId],
    ["PAYPAL_CLIENT_SECRET", options.paypal.clientSecret],
    ["PAYPAL_WEBHOOK_ID", options.paypal.webhookId],
    ["PAYPAL_API_BASE", options.paypal.url],
    ["PAYPAL_WEBHOOK_VERIFICATION", "postback"],
    ["PAYPAL_REQUEST_TIMEOUT", "5 seconds"],
    ["PAYPAL_RETRY_DELAY", "10 millis"],
    ["SHKEEPER_API_URL", options.shkeeper.url],
    ["SHKEEPER_API_KEY", shkeeperApiKey],
    ["SHKEEPER_CALLBACK_URL", `${options.baseUrl}/v1/webhooks/shkeeper`],
    ["SHKEEPER_COINS", "BTC"],
    ["SHKEEPER_REQUEST_TIMEOUT", "5 seconds"],
    ["SMTP_URL", options.smtp.url],
    ["MAIL_OUTBOX_POLL_INTERVAL", "100 millis"]
  ])

/** Builds the doubles and the listening server, then the application configured for them. */
const layer = (stripeClock: () => number) => {
  const doubles = Layer.mergeAll(
    StripeDouble.layer({ webhookSecret: stripeWebhookSecret, clock: stripeClock }),
    PayPalDouble.layer(),
    ShkeeperDouble.layer({ apiKey: shkeeperApiKey }),
    SmtpSink.layer
  )
  const application = Layer.unwrapScoped(
    Effect.gen(function*() {
      const settings = settingsFor({
        baseUrl: yield* serverBaseUrl,
        dataDirectory: yield* TestDatabase.temporaryDirectory("pw-payments-test-"),
        stripe: yield* StripeDouble,
        paypal: yield* PayPalDouble,
        shkeeper: yield* ShkeeperDouble,
        smtp: yield* SmtpSink
      })
      return Layer.mergeAll(EntitiesLive, ServedApi).pipe(
        Layer.provideMerge(SingleProcessCluster.layer()),
        Layer.provideMerge(ObjectStore.layer),
        Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(settings))),
        // TestDatabase sets a config provider with only PW_DATA_DIR, and it
        // stays in force for the layers built after it. So the database is
        // built first and the settings above replace it.
        Layer.provideMerge(TestDatabase.layer)
      )
    })
  )
  return application.pipe(Layer.provideMerge(ListeningServer), Layer.provideMerge(doubles), Layer.orDie)
}

/** Starts the doubles and the application on a free port of 127.0.0.1. */
export const start = async (): Promise<GatewayPlatform> => {
  let stripeClockOffset = 0
  const runtime = ManagedRuntime.make(layer(() => Date.now() + stripeClockOffset))
  const { baseUrl, ...doubles } = await runtime.runPromise(Effect.all({
    baseUrl: serverBaseUrl,
    stripe: StripeDouble,
    paypal: PayPalDouble,
    shkeeper: ShkeeperDouble,
    smtp: SmtpSink
  })).catch(async (error: unknown) => {
    await runtime.dispose()
    throw error
  })
  return {
    baseUrl,
    webhookUrl: (gateway) => `${baseUrl}/v1/webhooks/${gateway}`,
    ...doubles,
    setStripeClockOffset: (offsetMillis) => {
      stripeClockOffset = offsetMillis
    },
    run: (effect) => runtime.runPromise(effect),
    dispose: () => runtime.dispose()
  }
}
