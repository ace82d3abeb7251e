/**
 * Start-up checks of payment settings in production: no sandbox, no test
 * double on a loopback host, no gateway without the secret that verifies its
 * notifications.
 */
import { Data } from "effect"

/** The settings the checks read; `undefined` means unset. */
export interface PaymentSettings {
  readonly appEnv: string
  readonly stripeSecretKey: boolean
  readonly stripeWebhookSecret: boolean
  readonly stripeApiBase: string | undefined
  readonly paypalClientId: boolean
  readonly paypalWebhookId: boolean
  readonly paypalApiBase: string | undefined
  readonly shkeeperApiUrl: string | undefined
  readonly shkeeperApiKey: boolean
}

/** Production settings that must not start; `problems` lists each with its fix. */
export class UnsafePaymentSettings extends Data.TaggedError("UnsafePaymentSettings")<{
  readonly problems: ReadonlyArray<string>
}> {
  override get message() {
    return `APP_ENV=production rejects these payment settings: ${this.problems.join("; ")}`
  }
}

const loopbackHosts = new Set(["localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0"])

const isLoopback = (url: string): boolean => {
  try {
    const host = new URL(url).hostname
    return loopbackHosts.has(host) || host.startsWith("127.") || host.endsWith(".localhost")
  } catch {
    return false
  }
}

/** Lists what is unsafe about `settings`; empty outside production. */
export const problemsOf = (settings: PaymentSettings): ReadonlyArray<string> => {
  if (settings.appEnv !== "production") return []
  const problems: Array<string> = []
  const anyGateway = settings.stripeSecretKey || settings.paypalClientId || settings.shkeeperApiUrl !== undefined
  if (!anyGateway) {
    problems.push("no payment gateway is configured, and the sandbox gateway moves no money; set STRIPE_SECRET_KEY, PAYPAL_CLIENT_ID or SHKEEPER_API_URL")
  }
  const hosts: ReadonlyArray<[string, string | undefined]> = [
    ["STRIPE_API_BASE", settings.stripeApiBase],
    ["PAYPAL_API_BASE", settings.paypalApiBase],
    ["SHKEEPER_API_URL", settings.shkeeperApiUrl]
  ]
  for (const [name, url] of hosts) {
    if (url !== undefined && isLoopback(url)) problems.push(`${name} points at a loopback host (${url}), where only test doubles run`)
  }
  if (settings.stripeSecretKey && !settings.stripeWebhookSecret) {
    problems.push("STRIPE_WEBHOOK_SECRET is missing, so Stripe notifications cannot be verified")
  }
  if (settings.paypalClientId && !settings.paypalWebhookId) {
    problems.push("PAYPAL_WEBHOOK_ID is missing, so PayPal notifications cannot be verified")
  }
  if (settings.shkeeperApiUrl !== undefined && !settings.shkeeperApiKey) {
    problems.push("SHKEEPER_API_KEY is missing, so SHKeeper callbacks cannot be verified")
  }
  return problems
}
