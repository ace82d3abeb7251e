/**
 * The admin console over plain HTTP on the whole application in this
 * process: the session guard on every route, CSRF checks on every form,
 * role permissions, escaping of customer-typed values, staff uploads, and
 * the sign-in lockout. The lockout case runs last, because its failed
 * sign-ins lock the client address 127.0.0.1 for 15 minutes.
 */
import { describe, expect, layer } from "@effect/vitest"
import { PDFDocument } from "pdf-lib"
import { Context, Effect, Layer } from "effect"
import * as Platform from "../support/InProcessPlatform.ts"
import {
  awaitStatus,
  createOrder,
  orderStatus,
  payOrder,
  reviewerPassword
} from "./support/AdminFixtures.ts"
import { type ConsoleSession, cookieValue, postSignIn, send, setCookieHeader, signIn } from "./support/AdminHttp.ts"
import { signedInAdminAndReviewer } from "./support/ConsoleSessions.ts"

/** The server's base URL and a signed-in admin and reviewer, set up once for the file. */
class Console extends Context.Tag("AdminAuthTest/Console")<Console, {
  readonly base: string
  readonly admin: ConsoleSession
  readonly reviewer: ConsoleSession
  readonly reviewerEmail: string
}>() {}

const ConsoleLive = Layer.effect(Console, Effect.map(signedInAdminAndReviewer, ({ base, admin, reviewer, reviewerAccount }) =>
  ({ base, admin, reviewer, reviewerEmail: reviewerAccount.email })))

const http = (method: "GET" | "POST", path: string, options: Parameters<typeof send>[3] = {}) =>
  Effect.flatMap(Console, ({ base }) => Effect.promise(() => send(base, method, path, options)))

const pagePaths = [
  "/admin",
  "/admin/orders",
  "/admin/orders?status=awaiting_review",
  "/admin/orders/ord_aaaaaaaaaaaaaaaaaaaa",
  "/admin/orders/ord_aaaaaaaaaaaaaaaaaaaa/documents/doc_x",
  "/admin/orders/ord_aaaaaaaaaaaaaaaaaaaa/documents/doc_x/preview",
  "/admin/todos",
  "/admin/carriers",
  "/admin/fcc-check",
  "/admin/payments",
  "/admin/cluster",
  "/admin/change-password",
  "/admin/no-such-page"
]

const formPaths = [
  "/admin/sign-out",
  "/admin/change-password",
  "/admin/orders/ord_aaaaaaaaaaaaaaaaaaaa/approve",
  "/admin/orders/ord_aaaaaaaaaaaaaaaaaaaa/cancel",
  "/admin/orders/ord_aaaaaaaaaaaaaaaaaaaa/refund",
  "/admin/orders/ord_aaaaaaaaaaaaaaaaaaaa/documents",
  "/admin/todos/todo_x/assign",
  "/admin/todos/todo_x/complete"
]

/** Creates a one-page PDF with pdf-lib. */
const samplePdf = Effect.promise(async () => {
  const document = await PDFDocument.create()
  document.addPage([200, 200])
  return await document.save()
})

// The live clock: TOTP codes and order certification years follow the real date.
layer(Platform.layer, { excludeTestServices: true, timeout: "180 seconds" })("Admin console over HTTP", (it) => {
  it.layer(ConsoleLive, { timeout: "120 seconds" })((it) => {
    describe("without a session", () => {
      it.effect("pages redirect to sign-in", () =>
        Effect.gen(function*() {
          for (const path of pagePaths) {
            const reply = yield* http("GET", path)
            expect(reply.status, path).toBe(303)
            // The dashboard is where sign-in leads anyway, so its link carries no next.
            const expected = path === "/admin" ? "/admin/sign-in" : `/admin/sign-in?next=${encodeURIComponent(path)}`
            expect(reply.location, path).toBe(expected)
          }
        }))

      it.effect("forms redirect to sign-in", () =>
        Effect.gen(function*() {
          for (const path of formPaths) {
            const reply = yield* http("POST", path, { form: { reason: "test" } })
            expect(reply.status, path).toBe(303)
            expect(reply.location, path).toBe("/admin/sign-in")
          }
        }))

      it.effect("api returns 401 JSON", () =>
        Effect.gen(function*() {
          for (const path of ["/admin/api/dashboard", "/admin/api/orders"]) {
            const reply = yield* http("GET", path)
            expect(reply.status, path).toBe(401)
            expect(reply.contentType, path).toContain("application/json")
            const body = JSON.parse(reply.text) as { _tag: string; message: string }
            expect(body._tag, path).toBe("Unauthorized")
            expect(body.message, path).toContain("sign in")
          }
        }))

      it.effect("expired cookie redirects", () =>
        Effect.gen(function*() {
          const reply = yield* http("GET", "/admin/orders", { cookie: "pw_staff_session=not-a-session" })
          expect(reply.status).toBe(303)
          expect(reply.location).toBe("/admin/sign-in?next=%2Fadmin%2Forders")
        }))

      it.effect("assets need no session", () =>
        Effect.gen(function*() {
          const htmx = yield* http("GET", "/admin/assets/htmx.min.js")
          expect(htmx.status).toBe(200)
          expect(htmx.contentType).toContain("javascript")
          const css = yield* http("GET", "/admin/assets/admin.css")
          expect(css.status).toBe(200)
          expect(css.contentType).toContain("text/css")
        }))
    })

    describe("sign-in", () => {
      it.effect("sets a strict session cookie", () =>
        Effect.gen(function*() {
          const { base, reviewerEmail } = yield* Console
          const reply = yield* Effect.promise(() => postSignIn(base, { email: reviewerEmail, password: reviewerPassword }, "/admin/todos"))
          expect(reply.status).toBe(303)
          expect(reply.location).toBe("/admin/todos")
          const header = setCookieHeader(reply, "pw_staff_session") ?? ""
          expect(header).toContain("HttpOnly")
          expect(header).toContain("SameSite=Strict")
          expect(header).toContain("Path=/admin")
        }))

      it.effect("ignores a foreign next", () =>
        Effect.gen(function*() {
          const { base, reviewerEmail } = yield* Console
          for (const next of ["https://example.com/admin", "//example.com/admin", "/v1/orders", "/admin\\@example.com"]) {
            const reply = yield* Effect.promise(() => postSignIn(base, { email: reviewerEmail, password: reviewerPassword }, next))
            expect(reply.status, next).toBe(303)
            expect(reply.location, next).toBe("/admin")
          }
        }))

      it.effect("rejects a form without its token", () =>
        Effect.gen(function*() {
          const { reviewerEmail } = yield* Console
          const reply = yield* http("POST", "/admin/sign-in", { form: { email: reviewerEmail, password: reviewerPassword, next: "/admin" } })
          expect(reply.status).toBe(403)
          expect(cookieValue(reply, "pw_staff_session")).toBeUndefined()
        }))

      it.effect("rejects a foreign origin", () =>
        Effect.gen(function*() {
          const { base, reviewerEmail } = yield* Console
          const form = yield* Effect.promise(() => send(base, "GET", "/admin/sign-in"))
          const token = cookieValue(form, "pw_staff_sign_in") ?? ""
          const reply = yield* http("POST", "/admin/sign-in", {
            cookie: `pw_staff_sign_in=${token}`,
            headers: { origin: "https://example.com" },
            form: { _csrf: token, email: reviewerEmail, password: reviewerPassword, next: "/admin" }
          })
          expect(reply.status).toBe(403)
          expect(cookieValue(reply, "pw_staff_session")).toBeUndefined()
        }))

      it.effect("sign-out ends the session", () =>
        Effect.gen(function*() {
          const { base, reviewerEmail } = yield* Console
          const session = yield* Effect.promise(() => signIn(base, { email: reviewerEmail, password: reviewerPassword }))
          const out = yield* http("POST", "/admin/sign-out", { cookie: session.cookie, form: { _csrf: session.csrf } })
          expect(out.status).toBe(303)
          expect(out.location).toBe("/admin/sign-in")
          const after = yield* http("GET", "/admin", { cookie: session.cookie })
          expect(after.status).toBe(303)
        }))
    })

    describe("CSRF", () => {
      it.effect("POST without token changes nothing", () =>
        Effect.gen(function*() {
          const { admin, base } = yield* Console
          const order = yield* createOrder(base, "admin-csrf-missing")
          const before = yield* Platform.orderRows(order.orderId)

          const missing = yield* http("POST", `/admin/orders/${order.orderId}/cancel`, { cookie: admin.cookie, form: { reason: "duplicate order" } })
          expect(missing.status).toBe(403)
          expect(missing.text).toContain("nothing was changed")
          const wrong = yield* http("POST", `/admin/orders/${order.orderId}/cancel`, {
            cookie: admin.cookie,
            form: { reason: "duplicate order", _csrf: "A".repeat(43) }
          })
          expect(wrong.status).toBe(403)

          const after = yield* Platform.orderRows(order.orderId)
          expect(after.status).toBe("awaiting_payment")
          expect(after.audit_events).toBe(before.audit_events)
          expect(after.updated_at).toBe(before.updated_at)
        }))

      it.effect("POST with token cancels", () =>
        Effect.gen(function*() {
          const { admin, base } = yield* Console
          const order = yield* createOrder(base, "admin-csrf-valid")
          const reply = yield* http("POST", `/admin/orders/${order.orderId}/cancel`, {
            cookie: admin.cookie,
            form: { reason: "duplicate order", _csrf: admin.csrf }
          })
          expect(reply.status).toBe(303)
          expect(reply.location).toBe(`/admin/orders/${order.orderId}?done=cancelled`)
          expect(yield* orderStatus(base, order)).toBe("cancelled")
        }))

      it.effect("htmx header token is accepted", () =>
        Effect.gen(function*() {
          const { admin, base } = yield* Console
          const order = yield* createOrder(base, "admin-csrf-header")
          const reply = yield* http("POST", `/admin/orders/${order.orderId}/cancel`, {
            cookie: admin.cookie,
            headers: { "x-csrf-token": admin.csrf },
            form: { reason: "duplicate order" }
          })
          expect(reply.status).toBe(303)
        }))

      it.effect("entity error shows as message", () =>
        Effect.gen(function*() {
          const { admin, base } = yield* Console
          const order = yield* createOrder(base, "admin-approve-unpaid")
          const reply = yield* http("POST", `/admin/orders/${order.orderId}/approve`, { cookie: admin.cookie, form: { _csrf: admin.csrf } })
          expect(reply.status).toBe(409)
          expect(reply.text).toContain("role=\"alert\"")
          expect(reply.text).toContain("must be paid")
          expect(reply.text).not.toContain("    at ")
        }))
    })

    describe("permissions", () => {
      it.effect("reviewer cannot refund", () =>
        Effect.gen(function*() {
          const { reviewer, base } = yield* Console
          const order = yield* createOrder(base, "admin-reviewer-refund", { items: [{ service: "rmd-filing" }] })
          yield* payOrder(base, order)
          const before = yield* Platform.orderRows(order.orderId)
          const reply = yield* http("POST", `/admin/orders/${order.orderId}/refund`, {
            cookie: reviewer.cookie,
            form: { _csrf: reviewer.csrf, paymentId: "sandbox_x", amount: "1.00", reason: "goodwill" }
          })
          expect(reply.status).toBe(403)
          const after = yield* Platform.orderRows(order.orderId)
          expect(after.audit_events).toBe(before.audit_events)
        }))

      it.effect("reviewer sees no refund form", () =>
        Effect.gen(function*() {
          const { reviewer, base } = yield* Console
          const order = yield* createOrder(base, "admin-reviewer-form", { items: [{ service: "rmd-filing" }] })
          yield* payOrder(base, order)
          const page = yield* http("GET", `/admin/orders/${order.orderId}`, { cookie: reviewer.cookie })
          expect(page.status).toBe(200)
          expect(page.text).not.toContain("/refund\"")
        }))
    })

    describe("escaping", () => {
      it.effect("script carrier renders as text", () =>
        Effect.gen(function*() {
          const { admin, base } = yield* Console
          const order = yield* createOrder(base, "admin-script-carrier", { legalName: "<script>alert(1)</script>" })
          const escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
          const queue = yield* http("GET", "/admin/orders", { cookie: admin.cookie })
          expect(queue.status).toBe(200)
          expect(queue.text).toContain(escaped)
          expect(queue.text).not.toContain("<script>alert(1)")
          const detail = yield* http("GET", `/admin/orders/${order.orderId}`, { cookie: admin.cookie })
          expect(detail.status).toBe(200)
          expect(detail.text).toContain(escaped)
          expect(detail.text).not.toContain("<script>alert(1)")
        }))
    })

    describe("upload", () => {
      it.effect("attaches a staff PDF", () =>
        Effect.gen(function*() {
          const { admin, base } = yield* Console
          const order = yield* createOrder(base, "admin-upload-pdf", { items: [{ service: "rmd-filing" }] })
          yield* payOrder(base, order)
          yield* awaitStatus(base, order, "in_progress")
          const form = new FormData()
          form.set("_csrf", admin.csrf)
          form.set("file", new Blob([new Uint8Array(yield* samplePdf)], { type: "application/pdf" }), "rmd-confirmation.pdf")
          const reply = yield* http("POST", `/admin/orders/${order.orderId}/documents`, { cookie: admin.cookie, multipart: form })
          expect(reply.status).toBe(303)
          expect((yield* Platform.orderRows(order.orderId)).documents).toBe(1)
          expect(yield* orderStatus(base, order)).toBe("awaiting_review")
        }))

      it.effect("rejects a file that is not PDF", () =>
        Effect.gen(function*() {
          const { admin, base } = yield* Console
          const order = yield* createOrder(base, "admin-upload-text", { items: [{ service: "rmd-filing" }] })
          yield* payOrder(base, order)
          yield* awaitStatus(base, order, "in_progress")
          const form = new FormData()
          form.set("_csrf", admin.csrf)
          form.set("file", new Blob(["not a pdf"], { type: "application/pdf" }), "notes.pdf")
          const reply = yield* http("POST", `/admin/orders/${order.orderId}/documents`, { cookie: admin.cookie, multipart: form })
          expect(reply.status).toBe(400)
          expect(reply.text).toContain("not a PDF")
          expect((yield* Platform.orderRows(order.orderId)).documents).toBe(0)
        }))

      it.effect("upload without token is 403", () =>
        Effect.gen(function*() {
          const { admin, base } = yield* Console
          const order = yield* createOrder(base, "admin-upload-csrf", { items: [{ service: "rmd-filing" }] })
          yield* payOrder(base, order)
          yield* awaitStatus(base, order, "in_progress")
          const form = new FormData()
          form.set("file", new Blob([new Uint8Array(yield* samplePdf)], { type: "application/pdf" }), "rmd-confirmation.pdf")
          const reply = yield* http("POST", `/admin/orders/${order.orderId}/documents`, { cookie: admin.cookie, multipart: form })
          expect(reply.status).toBe(403)
          expect((yield* Platform.orderRows(order.orderId)).documents).toBe(0)
        }))
    })

    describe("api", () => {
      it.effect("dashboard figures with a session", () =>
        Effect.gen(function*() {
          const { admin } = yield* Console
          const reply = yield* http("GET", "/admin/api/dashboard", { cookie: admin.cookie })
          expect(reply.status).toBe(200)
          const body = JSON.parse(reply.text) as { ordersByStatus: ReadonlyArray<{ status: string; count: number }> }
          expect(body.ordersByStatus.length).toBe(10)
        }))
    })

    describe("lockout", () => {
      it.effect("sixth wrong password gets 429", () =>
        Effect.gen(function*() {
          const { base, reviewerEmail } = yield* Console
          for (let attempt = 1; attempt <= 5; attempt++) {
            const reply = yield* Effect.promise(() => postSignIn(base, { email: reviewerEmail, password: `wrong password ${attempt}` }))
            expect(reply.status, `attempt ${attempt}`).toBe(401)
            expect(reply.text, `attempt ${attempt}`).toContain("e-mail address or password is wrong")
          }
          const sixth = yield* Effect.promise(() => postSignIn(base, { email: reviewerEmail, password: reviewerPassword }))
          expect(sixth.status).toBe(429)
          expect(Number(sixth.retryAfter)).toBeGreaterThan(0)
          expect(cookieValue(sixth, "pw_staff_session")).toBeUndefined()
        }))
    })
  })
})
