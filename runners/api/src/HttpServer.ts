/**
 * The HTTP server: the API under `/v1`, its OpenAPI document at
 * `/openapi.json`, Swagger UI at `/docs` and the staff console under `/admin`.
 */
import { HttpApiBuilder, HttpApiSwagger, HttpMiddleware, HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { PlatformApi } from "@pw/api/Api"
import { CalendarPlanner } from "@pw/compliance-calendar/CalendarPlanner"
import * as FccComplianceCheckLive from "@pw/fcc-check/FccComplianceCheckLive"
import * as Payments from "@pw/payments/Payments"
import { Config, Effect, Layer } from "effect"
import { createServer } from "node:http"
import { CalendarHttp } from "./CalendarHttp.ts"
import { CatalogHttp } from "./CatalogHttp.ts"
import { ComplianceHttp } from "./ComplianceHttp.ts"
import { ComplianceRulesHttp } from "./ComplianceRulesHttp.ts"
import { FccCheckHttp } from "./FccCheckHttp.ts"
import { withUniformErrorBodies } from "./ErrorBodies.ts"
import { OrderIntake } from "./OrderIntake.ts"
import { OrdersHttp } from "./OrdersHttp.ts"
import { CustomersHttp } from "./CustomersHttp.ts"
import { PayPageHttp } from "./PayPageHttp.ts"
import { AdminConsole } from "./admin/AdminConsole.ts"
import { withPublicRateLimit } from "./PublicRateLimit.ts"
import { CustomerAuthLive, StaffAuthLive } from "./SecurityLive.ts"
import * as Secrets from "./Secrets.ts"
import { StaffHttp } from "./StaffHttp.ts"
import { WebhooksHttp } from "./WebhooksHttp.ts"

/** The address and port the HTTP server listens on. */
export const HttpConfig = Config.all({
  host: Config.string("PW_HTTP_HOST").pipe(
    Config.withDescription("Address the HTTP API listens on"),
    Config.withDefault("127.0.0.1")
  ),
  port: Config.integer("PW_HTTP_PORT").pipe(
    Config.validate({
      message: "PW_HTTP_PORT must be a TCP port from 0 to 65535",
      validation: (port) => port >= 0 && port <= 65_535
    }),
    Config.withDescription("TCP port of the HTTP API; 0 picks a free port"),
    Config.withDefault(3001)
  )
})

/** The API's handlers, without a server. */
export const ApiLive = HttpApiBuilder.api(PlatformApi).pipe(
  Layer.provide([CalendarHttp, CatalogHttp, ComplianceHttp, ComplianceRulesHttp, FccCheckHttp, OrdersHttp, StaffHttp, WebhooksHttp, CustomersHttp, PayPageHttp, AdminConsole]),
  Layer.provide([CustomerAuthLive, StaffAuthLive]),
  Layer.provide([OrderIntake.layer, FccComplianceCheckLive.layer]),
  Layer.provide([Secrets.layer, Payments.layer, CalendarPlanner.layer])
)

/**
 * The API, its OpenAPI document and Swagger UI, served on whichever
 * `HttpServer` is provided: public requests rate limited, every 4xx with
 * the uniform error body.
 */
export const served = Layer.unwrapEffect(
  Effect.gen(function*() {
    const app = yield* withPublicRateLimit(yield* HttpApiBuilder.httpApp)
    return HttpServer.serve(withUniformErrorBodies(app), HttpMiddleware.logger)
  })
).pipe(
  Layer.provide([HttpApiBuilder.Router.Live, HttpApiBuilder.Middleware.layer]),
  Layer.provide(HttpApiSwagger.layer({ path: "/docs" })),
  Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: "/openapi.json" })),
  Layer.provide(ApiLive)
)

/** The API served over HTTP on the configured address. */
export const layer = served.pipe(
  HttpServer.withLogAddress,
  Layer.provide(Layer.unwrapEffect(Effect.map(HttpConfig, (config) => NodeHttpServer.layer(createServer, config))))
)
