import { HttpApp, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Schema } from "effect"
import { isPublicRequest, withPublicRateLimit } from "../src/PublicRateLimit.ts"

const handlerWithLimit = (requests: number) =>
  withPublicRateLimit(Effect.succeed(HttpServerResponse.text("ok"))).pipe(
    Effect.map((app) => HttpApp.toWebHandler(app)),
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["PUBLIC_RATE_LIMIT", String(requests)], ["PUBLIC_RATE_WINDOW", "1 minute"]])))
  )

const call = (handler: (request: Request) => Promise<Response>, path: string, method = "GET") =>
  Effect.promise(() => handler(new Request(`http://127.0.0.1${path}`, { method })))

describe("PublicRateLimit", () => {
  it.effect("answers 429 past the limit", () =>
    Effect.gen(function*() {
      const handler = yield* handlerWithLimit(2)
      const statuses: Array<number> = []
      for (let index = 0; index < 3; index++) {
        statuses.push((yield* call(handler, "/v1/tools/fcc-compliance-check?frn=0018538512")).status)
      }
      expect(statuses).toEqual([200, 200, 429])
    }))

  it.effect("sends Retry-After in seconds", () =>
    Effect.gen(function*() {
      const handler = yield* handlerWithLimit(1)
      yield* call(handler, "/v1/quotes", "POST")
      const refused = yield* call(handler, "/v1/quotes", "POST")
      const seconds = Number(refused.headers.get("retry-after"))
      expect(seconds).toBeGreaterThanOrEqual(1)
      expect(seconds).toBeLessThanOrEqual(60)
    }))

  it.effect("names the error in the body", () =>
    Effect.gen(function*() {
      const handler = yield* handlerWithLimit(1)
      yield* call(handler, "/v1/tools/fcc-compliance-check")
      const refused = yield* call(handler, "/v1/tools/fcc-compliance-check")
      const body = yield* Effect.promise(() => refused.json())
      expect(Schema.decodeUnknownSync(Schema.Struct({ _tag: Schema.String }))(body)._tag).toBe("TooManyRequests")
    }))

  it.effect("leaves other requests alone", () =>
    Effect.gen(function*() {
      const handler = yield* handlerWithLimit(1)
      yield* call(handler, "/v1/orders/ord_x")
      expect((yield* call(handler, "/v1/orders/ord_x")).status).toBe(200)
    }))

  it("limits the check and quotes only", () => {
    expect([
      isPublicRequest("GET", "/v1/tools/fcc-compliance-check/report?frn=1"),
      isPublicRequest("POST", "/v1/quotes"),
      isPublicRequest("GET", "/v1/catalog")
    ]).toEqual([true, true, false])
  })
})
