/**
 * The staff admin console, served under `/admin` by the API runner next to
 * the HttpApi: its routes are added to `HttpApiBuilder.Router`, the router
 * the API's own endpoints are on, so `HttpServer.ts` serves both from one
 * app. Every route except the sign-in form and the static assets needs a
 * staff session (see `AdminSession.ts`).
 */
import * as path from "node:path"
import { HttpApiBuilder, type HttpRouter, HttpServerResponse } from "@effect/platform"
import type { Sharding } from "@effect/cluster"
import type { SqlClient } from "@effect/sql"
import type { Payments } from "@pw/payments/Payments"
import { StaffConfig } from "@pw/staff/StaffConfig"
import { TodoStore } from "@pw/staff/TodoStore"
import type { ObjectStore } from "@pw/storage/ObjectStore"
import { Cause, Effect, Layer } from "effect"
import { createRequire } from "node:module"
import { PublicRateLimitConfig } from "../PublicRateLimit.ts"
import { renderMessagePage } from "./AdminLayout.ts"
import { apiNotFound, dashboardJson, showDashboard, showNotFound } from "./AdminPages.ts"
import { addOperationsPages } from "./OperationsPages.ts"
import { addStaffPages } from "./StaffPages.ts"
import { htmlResponse } from "./AdminResponses.ts"
import { downloadDocument, previewDocument, uploadDocument } from "./OrderDocumentsHttp.ts"
import { approveOrder, cancelOrder, refundOrder, showOrder, showQueue } from "./OrderPagesHttp.ts"
import { showChangePassword, showSignIn, submitChangePassword, submitSignIn, submitSignOut } from "./SignInHttp.ts"
import { assignTodo, completeTodo, showTodos } from "./TodosHttp.ts"

/** Services the console's routes use, captured when the layer is built. */
export type ConsoleServices = SqlClient.SqlClient | StaffConfig | TodoStore | ObjectStore | Payments | Sharding.Sharding

/** The router the console's routes are added to. */
export type ConsoleRouter = HttpRouter.HttpRouter.Service<unknown, HttpRouter.HttpRouter.DefaultServices>

/** Wraps a route's handler: provides the console's services and turns unexpected failures into a 500 page. */
export type ConsoleRoute = <E, R>(
  handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
) => Effect.Effect<HttpServerResponse.HttpServerResponse, E, Exclude<R, ConsoleServices>>

/** htmx from its npm package, resolved rather than copied so it follows the locked version. */
const htmxPath = createRequire(import.meta.url).resolve("htmx.org/dist/htmx.min.js")
const stylesheetPath = path.join(
  path.dirname(createRequire(import.meta.url).resolve("@pw/api-runner/package.json")),
  "src/admin/assets/admin.css"
)

const asset = (path: string, contentType: string) =>
  HttpServerResponse.file(path, { contentType, headers: { "cache-control": "public, max-age=300", "x-content-type-options": "nosniff" } })

/**
 * Turns a route's unexpected failure into a plain 500 page and logs the
 * cause, so no stack trace reaches the browser. Interruption passes through.
 */
const withFailurePage = <E, R>(route: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
  Effect.catchAllCause(route, (cause) =>
    Cause.isInterruptedOnly(cause)
      ? Effect.failCause(cause)
      : Effect.as(
        Effect.logError("admin console request failed", cause),
        htmlResponse(500, renderMessagePage("Something went wrong", "The request failed on the server and nothing more can be shown here. The error is logged; try again, or report the time to an admin."))
      ))

/** The console's routes on the API router. Needs the database, the cluster, the object store and the payment gateways. */
export const AdminConsole = HttpApiBuilder.Router.use((router) =>
  Effect.gen(function*() {
    const context = yield* Effect.context<ConsoleServices>()
    const { trustForwardedFor } = yield* PublicRateLimitConfig
    const route: ConsoleRoute = (handler) => withFailurePage(Effect.provide(handler, context))

    yield* router.get("/admin/assets/htmx.min.js", asset(htmxPath, "text/javascript; charset=utf-8"))
    yield* router.get("/admin/assets/admin.css", asset(stylesheetPath, "text/css; charset=utf-8"))

    yield* router.get("/admin/sign-in", route(showSignIn))
    yield* router.post("/admin/sign-in", route(submitSignIn(trustForwardedFor)))
    yield* router.post("/admin/sign-out", route(submitSignOut))
    yield* router.get("/admin/change-password", route(showChangePassword))
    yield* router.post("/admin/change-password", route(submitChangePassword))

    yield* router.get("/admin", route(showDashboard))
    yield* router.get("/admin/api/dashboard", route(dashboardJson))
    yield* router.all("/admin/api/*", route(apiNotFound))

    yield* router.get("/admin/orders", route(showQueue))
    yield* router.get("/admin/orders/:orderId", route(showOrder))
    yield* router.post("/admin/orders/:orderId/approve", route(approveOrder))
    yield* router.post("/admin/orders/:orderId/cancel", route(cancelOrder))
    yield* router.post("/admin/orders/:orderId/refund", route(refundOrder))
    yield* router.post("/admin/orders/:orderId/documents", route(uploadDocument))
    yield* router.get("/admin/orders/:orderId/documents/:documentId", route(downloadDocument))
    yield* router.get("/admin/orders/:orderId/documents/:documentId/preview", route(previewDocument))

    yield* router.get("/admin/todos", route(showTodos))
    yield* router.post("/admin/todos/:todoId/assign", route(assignTodo))
    yield* router.post("/admin/todos/:todoId/complete", route(completeTodo))

    yield* addOperationsPages(router, route)
    yield* addStaffPages(router, route)
    yield* router.all("/admin/*", route(showNotFound))
  })
).pipe(Layer.provide([StaffConfig.layer, TodoStore.layer]))
