/**
 * A per-client request limit on the public endpoints (the FCC compliance
 * check and quotes). A client over its limit gets 429 with `Retry-After` in
 * seconds. Counters live in this process's memory: each API process limits
 * on its own.
 */
import { type HttpApp, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Config, Duration, Effect, Option } from "effect"
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible"

/** The number of public requests one client may make per window, and how the client is identified. */
export const PublicRateLimitConfig = Config.all({
  requests: Config.integer("PUBLIC_RATE_LIMIT").pipe(
    Config.validate({ message: "PUBLIC_RATE_LIMIT must be a whole number of at least 1", validation: (value) => value >= 1 }),
    Config.withDescription("Requests one client may send to the public endpoints (FCC check, quotes) per PUBLIC_RATE_WINDOW"),
    Config.withDefault(60)
  ),
  window: Config.duration("PUBLIC_RATE_WINDOW").pipe(
    Config.withDescription("Length of the public rate-limit window, such as \"1 minute\""),
    Config.withDefault(Duration.minutes(1))
  ),
  trustForwardedFor: Config.boolean("PW_TRUST_FORWARDED_FOR").pipe(
    Config.withDescription("Take the client address from the first X-Forwarded-For entry; set only behind a proxy that writes that header"),
    Config.withDefault(false)
  )
})

/** True for the requests the limit applies to. */
export const isPublicRequest = (method: string, url: string): boolean => {
  const path = url.split("?")[0] ?? ""
  return (method === "GET" && path.startsWith("/v1/tools/")) || (method === "POST" && path === "/v1/quotes")
}

const clientOf = (request: HttpServerRequest.HttpServerRequest, trustForwardedFor: boolean): string => {
  if (trustForwardedFor) {
    const forwarded = request.headers["x-forwarded-for"]?.split(",")[0]?.trim()
    if (forwarded !== undefined && forwarded !== "") return forwarded
  }
  return Option.getOrElse(request.remoteAddress, () => "unknown")
}

/**
 * Wraps `app` so that public requests beyond the configured rate get 429
 * with the API's error body and `Retry-After`; other requests pass through.
 */
export const withPublicRateLimit = Effect.fn("PublicRateLimit.withPublicRateLimit")(function*<E, R>(app: HttpApp.Default<E, R>) {
  const config = yield* PublicRateLimitConfig
  const limiter = new RateLimiterMemory({ points: config.requests, duration: Math.max(1, Math.ceil(Duration.toSeconds(config.window))) })
  const limited: HttpApp.Default<E, R> = Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    if (!isPublicRequest(request.method, request.url)) return yield* app
    const client = clientOf(request, config.trustForwardedFor)
    const refused = yield* Effect.promise(() =>
      limiter.consume(client).then(
        () => undefined,
        (rejection: unknown) => (rejection instanceof RateLimiterRes ? rejection : undefined)
      )
    )
    if (refused === undefined) return yield* app
    const retryAfter = Math.max(1, Math.ceil(refused.msBeforeNext / 1000))
    yield* Effect.annotateLogs(Effect.logWarning("public rate limit reached"), { client, path: request.url })
    return HttpServerResponse.unsafeJson(
      {
        _tag: "TooManyRequests",
        message: `more than ${config.requests} requests to the public endpoints in ${Duration.format(config.window)}; retry after ${retryAfter} seconds`
      },
      { status: 429, headers: { "retry-after": String(retryAfter) } }
    )
  })
  return limited
})
