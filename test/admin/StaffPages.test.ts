/**
 * The console's staff pages over plain HTTP on the whole application in
 * this process. Covered: the admin-only staff page, account creation and
 * its one-time secrets, password resets, TOTP enrolment and disabling. Also
 * every member's account page with its staff API keys, and the audit rows
 * that name the staff member who cancelled or refunded an order.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import * as StaffAccounts from "@pw/staff/StaffAccounts"
import { Context, Effect, Layer } from "effect"
import * as Platform from "../support/InProcessPlatform.ts"
import {
  createOrder,
  createReviewer,
  payOrder,
  type TestAccount,
  totpNow
} from "./support/AdminFixtures.ts"
import { type ConsoleSession, postSignIn, send, signIn } from "./support/AdminHttp.ts"
import { signedInAdminAndReviewer } from "./support/ConsoleSessions.ts"

/** The server's base URL, the admin's account and a signed-in admin and reviewer, set up once for the file. */
class Console extends Context.Tag("StaffPagesTest/Console")<Console, {
  readonly base: string
  readonly adminAccount: TestAccount
  readonly admin: ConsoleSession
  readonly reviewer: ConsoleSession
}>() {}

const ConsoleLive = Layer.effect(Console, Effect.map(signedInAdminAndReviewer, ({ base, adminAccount, admin, reviewer }) =>
  ({ base, adminAccount, admin, reviewer })))

const http = (method: "GET" | "POST", path: string, options: Parameters<typeof send>[3] = {}) =>
  Effect.flatMap(Console, ({ base }) => Effect.promise(() => send(base, method, path, options)))

/** Posts a console form as `session`, with its CSRF token. */
const postForm = (session: ConsoleSession, path: string, fields: Readonly<Record<string, string>> = {}) =>
  http("POST", path, { cookie: session.cookie, form: { _csrf: session.csrf, ...fields } })

/** Returns the text of the element with `id` on a page, with the character references of `escapeHtml` decoded. */
const elementText = (html: string, id: string): string | undefined => {
  const match = new RegExp(`id="${id}">([^<]*)<`).exec(html)
  return match?.[1]?.replaceAll("&quot;", "\"").replaceAll("&#39;", "'").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&")
}

/** The id of the account with `email`. */
const accountIdOf = (email: string) =>
  Effect.map(StaffAccounts.list(), (accounts) => accounts.find((account) => account.email === email)?.id ?? "")

/** The data of the audit rows of `event` on `entityId`, oldest first. */
const auditData = (entityType: string, entityId: string, event: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ data: Record<string, unknown>; request_id: string }>`
      SELECT data, request_id FROM audit_events
      WHERE entity_type = ${entityType} AND entity_id = ${entityId} AND event = ${event} ORDER BY id
    `).pipe(Effect.orDie)

/** Creates a reviewer with a changed password through the fixtures, as the file's admin. */
const fixtureReviewer = (email: string, name: string) =>
  Effect.flatMap(Console, ({ adminAccount }) => createReviewer(adminAccount.id, email, name))

// The live clock: TOTP codes follow the real time.
layer(Platform.layer, { excludeTestServices: true, timeout: "180 seconds" })("Staff pages over HTTP", (it) => {
  it.layer(ConsoleLive, { timeout: "120 seconds" })((it) => {
    describe("permissions", () => {
      it.effect("reviewer gets 403 on staff", () =>
        Effect.gen(function*() {
          const { reviewer } = yield* Console
          const before = (yield* StaffAccounts.list()).length
          const page = yield* http("GET", "/admin/staff", { cookie: reviewer.cookie })
          expect(page.status).toBe(403)
          expect(page.text).toContain("may not manage staff")
          const created = yield* postForm(reviewer, "/admin/staff", { name: "Mallory Member", email: "member@example.com", role: "admin" })
          expect(created.status).toBe(403)
          const reset = yield* postForm(reviewer, "/admin/staff/stf_x/reset-password")
          expect(reset.status).toBe(403)
          expect((yield* StaffAccounts.list()).length).toBe(before)
        }))

      it.effect("staff link only for admins", () =>
        Effect.gen(function*() {
          const { admin, reviewer } = yield* Console
          const adminPage = yield* http("GET", "/admin", { cookie: admin.cookie })
          expect(adminPage.text).toContain("href=\"/admin/staff\"")
          expect(adminPage.text).toContain("href=\"/admin/account\"")
          const reviewerPage = yield* http("GET", "/admin", { cookie: reviewer.cookie })
          expect(reviewerPage.text).not.toContain("href=\"/admin/staff\"")
          expect(reviewerPage.text).toContain("href=\"/admin/account\"")
        }))

      it.effect("reviewer creates own key", () =>
        Effect.gen(function*() {
          const { reviewer } = yield* Console
          const page = yield* http("GET", "/admin/account", { cookie: reviewer.cookie })
          expect(page.status).toBe(200)
          expect(page.text).toContain("action=\"/admin/account/keys\"")
          const created = yield* postForm(reviewer, "/admin/account/keys", { label: "export" })
          expect(created.status).toBe(200)
          expect(created.text).toContain("psk_")
        }))

      it.effect("staff forms need the token", () =>
        Effect.gen(function*() {
          const { admin } = yield* Console
          const before = (yield* StaffAccounts.list()).length
          const reply = yield* http("POST", "/admin/staff", {
            cookie: admin.cookie,
            form: { name: "Nina Notoken", email: "notoken@example.com", role: "reviewer" }
          })
          expect(reply.status).toBe(403)
          expect((yield* StaffAccounts.list()).length).toBe(before)
        }))
    })

    describe("accounts", () => {
      it.effect("lists every account", () =>
        Effect.gen(function*() {
          const { admin } = yield* Console
          const page = yield* http("GET", "/admin/staff", { cookie: admin.cookie })
          expect(page.status).toBe(200)
          expect(page.text).toContain("admin@example.com")
          expect(page.text).toContain("reviewer@example.com")
          expect(page.text).toContain("Rita Reviewer")
        }))

      it.effect("create shows secrets once", () =>
        Effect.gen(function*() {
          const { admin, adminAccount, base } = yield* Console
          const result = yield* postForm(admin, "/admin/staff", { name: "Fiona Finance", email: "finance@example.com", role: "finance" })
          expect(result.status).toBe(200)
          const password = elementText(result.text, "temporary-password") ?? ""
          const secret = elementText(result.text, "totp-secret") ?? ""
          const uri = elementText(result.text, "totp-uri") ?? ""
          expect(password.length).toBeGreaterThan(10)
          expect(secret).toMatch(/^[A-Z2-7]{32}$/)
          expect(uri).toContain(`secret=${secret}`)
          expect(uri).toContain("finance%40example.com")

          for (const path of ["/admin/staff", "/admin/account"]) {
            const later = yield* http("GET", path, { cookie: admin.cookie })
            expect(later.text, path).toContain(path === "/admin/staff" ? "finance@example.com" : "admin@example.com")
            expect(later.text, path).not.toContain(password)
            expect(later.text, path).not.toContain(secret)
          }

          const accountId = yield* accountIdOf("finance@example.com")
          const audit = yield* auditData("StaffAccount", accountId, "staff.created")
          expect(audit[0]?.data["actorId"]).toBe(adminAccount.id)
          expect(JSON.stringify(audit)).not.toContain(password)

          const signedIn = yield* Effect.promise(() =>
            postSignIn(base, { email: "finance@example.com", password, totp: totpNow(secret) }))
          expect(signedIn.status).toBe(303)
          expect(signedIn.location).toBe("/admin/change-password")
        }))

      it.effect("reviewer gets no TOTP secret", () =>
        Effect.gen(function*() {
          const { admin, base } = yield* Console
          const result = yield* postForm(admin, "/admin/staff", { name: "Rob Reviewer", email: "rob@example.com", role: "reviewer" })
          expect(result.status).toBe(200)
          expect(elementText(result.text, "totp-secret")).toBeUndefined()
          const password = elementText(result.text, "temporary-password") ?? ""
          const signedIn = yield* Effect.promise(() => postSignIn(base, { email: "rob@example.com", password }))
          expect(signedIn.status).toBe(303)
          expect(signedIn.location).toBe("/admin/change-password")
        }))

      it.effect("create rejects bad input", () =>
        Effect.gen(function*() {
          const { admin } = yield* Console
          const badEmail = yield* postForm(admin, "/admin/staff", { name: "Ed Example", email: "not-an-address", role: "reviewer" })
          expect(badEmail.status).toBe(400)
          expect(badEmail.text).toContain("is not a valid e-mail address")
          expect(badEmail.text).toContain("value=\"Ed Example\"")
          const badRole = yield* postForm(admin, "/admin/staff", { name: "Ed Example", email: "ed@example.com", role: "owner" })
          expect(badRole.status).toBe(400)
          expect(badRole.text).toContain("The role &quot;owner&quot; does not exist")
          const duplicate = yield* postForm(admin, "/admin/staff", { name: "Rita Again", email: "reviewer@example.com", role: "reviewer" })
          expect(duplicate.status).toBe(409)
          expect(duplicate.text).not.toContain("id=\"temporary-password\"")
        }))

      it.effect("reset revokes the session", () =>
        Effect.gen(function*() {
          const { admin, base } = yield* Console
          const member = yield* fixtureReviewer("reset@example.com", "Reza Reset")
          const session = yield* Effect.promise(() => signIn(base, { email: member.email, password: member.password }))
          const result = yield* postForm(admin, `/admin/staff/${member.id}/reset-password`)
          expect(result.status).toBe(200)
          const password = elementText(result.text, "temporary-password") ?? ""
          expect(password.length).toBeGreaterThan(10)
          const after = yield* http("GET", "/admin", { cookie: session.cookie })
          expect(after.status).toBe(303)
          expect(after.location).toBe("/admin/sign-in")
          const list = yield* http("GET", "/admin/staff", { cookie: admin.cookie })
          expect(list.text).not.toContain(password)
          const signedIn = yield* Effect.promise(() => postSignIn(base, { email: member.email, password }))
          expect(signedIn.status).toBe(303)
          expect(signedIn.location).toBe("/admin/change-password")
        }))

      it.effect("enrols TOTP for a member", () =>
        Effect.gen(function*() {
          const { admin, adminAccount, base } = yield* Console
          const member = yield* fixtureReviewer("totp@example.com", "Tara Totp")
          const result = yield* postForm(admin, `/admin/staff/${member.id}/totp`)
          expect(result.status).toBe(200)
          const secret = elementText(result.text, "totp-secret") ?? ""
          expect(secret).toMatch(/^[A-Z2-7]{32}$/)
          const withoutCode = yield* Effect.promise(() => postSignIn(base, { email: member.email, password: member.password }))
          expect(withoutCode.status).toBe(401)
          const signedIn = yield* Effect.promise(() =>
            postSignIn(base, { email: member.email, password: member.password, totp: totpNow(secret) }))
          expect(signedIn.status).toBe(303)
          expect(signedIn.location).toBe("/admin")
          const audit = yield* auditData("StaffAccount", member.id, "staff.totp_enrolled")
          expect(audit[0]?.data["actorId"]).toBe(adminAccount.id)
        }))

      it.effect("disable blocks the member", () =>
        Effect.gen(function*() {
          const { admin, base } = yield* Console
          const member = yield* fixtureReviewer("disabled@example.com", "Dana Disabled")
          const session = yield* Effect.promise(() => signIn(base, { email: member.email, password: member.password }))
          const disabled = yield* postForm(admin, `/admin/staff/${member.id}/disable`)
          expect(disabled.status).toBe(303)
          expect(disabled.location).toBe("/admin/staff?done=disabled")
          const after = yield* http("GET", "/admin", { cookie: session.cookie })
          expect(after.status).toBe(303)
          const list = yield* http("GET", "/admin/staff?done=disabled", { cookie: admin.cookie })
          expect(list.text).toContain("The account is disabled")
          expect(list.text).toContain("Disabled since")
          const enabled = yield* postForm(admin, `/admin/staff/${member.id}/enable`)
          expect(enabled.status).toBe(303)
          const signedIn = yield* Effect.promise(() => postSignIn(base, { email: member.email, password: member.password }))
          expect(signedIn.status).toBe(303)
        }))

      it.effect("admin cannot disable self", () =>
        Effect.gen(function*() {
          const { admin, adminAccount } = yield* Console
          const reply = yield* postForm(admin, `/admin/staff/${adminAccount.id}/disable`)
          expect(reply.status).toBe(403)
          expect(reply.text).toContain("may not disable or enable their own account")
        }))

      it.effect("unknown account is 404", () =>
        Effect.gen(function*() {
          const { admin } = yield* Console
          const reply = yield* postForm(admin, "/admin/staff/stf_000000000000000000000000/reset-password")
          expect(reply.status).toBe(404)
          expect(reply.text).toContain("No staff account has the id")
        }))
    })

    describe("account page", () => {
      it.effect("member enrols own TOTP", () =>
        Effect.gen(function*() {
          const { base } = yield* Console
          const member = yield* fixtureReviewer("own-totp@example.com", "Otto Own")
          const session = yield* Effect.promise(() => signIn(base, { email: member.email, password: member.password }))
          const page = yield* http("GET", "/admin/account", { cookie: session.cookie })
          expect(page.status).toBe(200)
          expect(page.text).toContain("own-totp@example.com")
          expect(page.text).toContain("action=\"/admin/account/totp\"")
          const result = yield* postForm(session, "/admin/account/totp")
          expect(result.status).toBe(200)
          expect(elementText(result.text, "totp-secret")).toMatch(/^[A-Z2-7]{32}$/)
          const again = yield* postForm(session, "/admin/account/totp")
          expect(again.status).toBe(409)
          expect(again.text).not.toContain("id=\"totp-secret\"")
        }))

      it.effect("API key works until revoked", () =>
        Effect.gen(function*() {
          const { admin, base } = yield* Console
          const order = yield* createOrder(base, "staff-pages-key")
          const created = yield* postForm(admin, "/admin/account/keys", { label: "nightly export" })
          expect(created.status).toBe(200)
          const key = elementText(created.text, "api-key") ?? ""
          expect(key).toMatch(/^psk_[A-Za-z0-9_-]{43}$/)

          const page = yield* http("GET", "/admin/account", { cookie: admin.cookie })
          expect(page.text).toContain("nightly export")
          expect(page.text).not.toContain(key)

          const used = yield* Effect.promise(() => fetch(`${base}/v1/staff/orders/${order.orderId}`, { headers: { "x-staff-key": key } }))
          expect(used.status).toBe(200)
          yield* Effect.promise(() => used.text())

          const keyId = /data-key-id="(sak_[0-9a-f]+)"/.exec(page.text)?.[1] ?? ""
          const revoked = yield* postForm(admin, `/admin/account/keys/${keyId}/revoke`)
          expect(revoked.status).toBe(303)
          expect(revoked.location).toBe("/admin/account?done=revoked")
          const after = yield* Effect.promise(async () => {
            const response = await fetch(`${base}/v1/staff/orders/${order.orderId}`, { headers: { "x-staff-key": key } })
            return { status: response.status, body: (await response.json()) as { _tag: string; field?: string } }
          })
          expect(after.status).toBe(401)
          expect(after.body._tag).toBe("Unauthorized")
          expect(after.body.field).toBe("X-Staff-Key")
          const listed = yield* http("GET", "/admin/account", { cookie: admin.cookie })
          expect(listed.text).toContain("Revoked ")
        }))

      it.effect("key label is required", () =>
        Effect.gen(function*() {
          const { admin } = yield* Console
          const reply = yield* postForm(admin, "/admin/account/keys", { label: "  " })
          expect(reply.status).toBe(400)
          expect(reply.text).toContain("The key label must have 1 to 100 characters")
          expect(reply.text).not.toContain("id=\"api-key\"")
        }))
    })

    describe("order audit", () => {
      it.effect("cancel names the staff member", () =>
        Effect.gen(function*() {
          const { admin, adminAccount, base } = yield* Console
          const order = yield* createOrder(base, "staff-pages-cancel")
          const reply = yield* postForm(admin, `/admin/orders/${order.orderId}/cancel`, { reason: "duplicate order" })
          expect(reply.status).toBe(303)
          const rows = yield* auditData("Order", order.orderId, "staff.order_cancelled")
          expect(rows.length).toBe(1)
          expect(rows[0]?.data).toEqual({ staffId: adminAccount.id, staffName: "Ada Admin", reason: "duplicate order" })
        }))

      it.effect("refund names the staff member", () =>
        Effect.gen(function*() {
          const { admin, adminAccount, base } = yield* Console
          const order = yield* createOrder(base, "staff-pages-refund", { items: [{ service: "rmd-filing" }] })
          yield* payOrder(base, order)
          const sql = yield* SqlClient.SqlClient
          const payments = yield* sql<{ id: string }>`SELECT id FROM order_payments WHERE order_id = ${order.orderId}`.pipe(Effect.orDie)
          const paymentId = payments[0]?.id ?? ""
          for (const amount of ["1.00", "2.50"]) {
            const reply = yield* postForm(admin, `/admin/orders/${order.orderId}/refund`, { paymentId, amount, reason: "goodwill" })
            expect(reply.status, amount).toBe(303)
          }
          const rows = yield* auditData("Order", order.orderId, "staff.order_refunded")
          expect(rows.map((row) => row.data)).toEqual([
            { staffId: adminAccount.id, staffName: "Ada Admin", amount: 100, reason: "goodwill" },
            { staffId: adminAccount.id, staffName: "Ada Admin", amount: 250, reason: "goodwill" }
          ])
          expect(rows[0]?.request_id).not.toBe(rows[1]?.request_id)
        }))
    })
  })
})
