/**
 * The console's staff pages in Debian's Chromium, driven by Playwright,
 * against the whole application in this process. The admin signs in,
 * creates an account on the staff page, then creates and revokes an API key
 * on their own account page. Every page is saved to test-results/admin/
 * and checked with axe-core. The cases share one browser page and run in
 * order: the first signs in for the others.
 */
import { describe, expect, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import type { Page } from "playwright"
import * as AdminBrowser from "../support/AdminBrowser.ts"
import * as Platform from "../support/InProcessPlatform.ts"
import { baseUrl, createAdmin, type TestAccount, totpNow } from "./support/AdminFixtures.ts"

/** The browser page and the admin's account. */
class Scenario extends Context.Tag("StaffPagesBrowserTest/Scenario")<Scenario, {
  readonly page: Page
  readonly admin: TestAccount
}>() {}

const ScenarioLive = Layer.scoped(Scenario, Effect.gen(function*() {
  const base = yield* baseUrl
  const browser = yield* AdminBrowser.AdminBrowser
  const admin = yield* createAdmin
  const page = yield* AdminBrowser.openPage(browser, base)
  return { page, admin }
})).pipe(Layer.provide(AdminBrowser.layer))


// The live clock: TOTP codes follow the real time.
layer(Platform.layer, { excludeTestServices: true, timeout: "180 seconds" })("Staff pages in Chromium", (it) => {
  it.layer(ScenarioLive, { timeout: "300 seconds" })((it) => {
    describe("staff pages", () => {
      it.effect("staff page lists accounts", () =>
        Effect.gen(function*() {
          const { page, admin } = yield* Scenario
          yield* Effect.promise(async () => {
            await page.goto("/admin/sign-in")
            await page.getByLabel("E-mail").fill(admin.email)
            await page.getByLabel("Password").fill(admin.password)
            await page.getByLabel("Authenticator code").fill(totpNow(admin.totpSecret ?? ""))
            await page.getByRole("button", { name: "Sign in" }).click()
            await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor()
          })
          yield* AdminBrowser.followNavigation(page, "Staff", "Staff")
          const table = yield* Effect.promise(() => page.locator("#staff-accounts").innerText())
          expect(table).toContain(admin.email)
          expect(yield* AdminBrowser.checkPage(page, "staff-accounts")).toEqual([])
        }))

      it.effect("creates an account", () =>
        Effect.gen(function*() {
          const { page } = yield* Scenario
          yield* Effect.promise(async () => {
            await page.getByLabel("Name").fill("Fiona Finance")
            await page.getByLabel("E-mail").fill("finance@example.com")
            await page.getByLabel("Role").selectOption("finance")
            await page.getByRole("button", { name: "Create account" }).click()
            await page.getByRole("heading", { level: 1, name: "Account created" }).waitFor()
          })
          const password = yield* Effect.promise(() => page.locator("#temporary-password").innerText())
          const secret = yield* Effect.promise(() => page.locator("#totp-secret").innerText())
          expect(password.length).toBeGreaterThan(10)
          expect(secret).toMatch(/^[A-Z2-7]{32}$/)
          expect(yield* AdminBrowser.checkPage(page, "staff-account-created")).toEqual([])
          yield* AdminBrowser.followNavigation(page, "Staff", "Staff")
          const table = yield* Effect.promise(() => page.locator("#staff-accounts").innerText())
          expect(table).toContain("finance@example.com")
          expect(table).not.toContain(password)
        }))

      it.effect("account page loads", () =>
        Effect.gen(function*() {
          const { page, admin } = yield* Scenario
          yield* AdminBrowser.followNavigation(page, "Your account", "Your account")
          const facts = yield* Effect.promise(() => page.locator("#account-facts").innerText())
          expect(facts).toContain(admin.email)
          expect(yield* AdminBrowser.checkPage(page, "account")).toEqual([])
        }))

      it.effect("creates and revokes a key", () =>
        Effect.gen(function*() {
          const { page } = yield* Scenario
          yield* Effect.promise(async () => {
            await page.getByLabel("Label").fill("nightly export")
            await page.getByRole("button", { name: "Create API key" }).click()
            await page.getByRole("heading", { level: 1, name: "API key created" }).waitFor()
          })
          const key = yield* Effect.promise(() => page.locator("#api-key").innerText())
          expect(key).toMatch(/^psk_/)
          expect(yield* AdminBrowser.checkPage(page, "account-key-created")).toEqual([])
          yield* Effect.promise(async () => {
            await page.getByRole("link", { name: "Back to your account" }).click()
            await page.getByRole("heading", { level: 1, name: "Your account" }).waitFor()
            await page.getByRole("button", { name: "Revoke nightly export" }).click()
            await page.getByRole("status").getByText("The API key is revoked").waitFor()
          })
          const keys = yield* Effect.promise(() => page.locator("#api-keys").innerText())
          expect(keys).toContain("Revoked")
          expect(keys).not.toContain(key)
          expect(yield* AdminBrowser.checkPage(page, "account-key-revoked")).toEqual([])
        }))
    })
  })
})
