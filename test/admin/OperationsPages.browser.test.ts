/**
 * The console's operations pages in Debian's Chromium, driven by Playwright,
 * against the whole application in this process. An admin signs in, finds
 * a carrier by search, opens its calendar and waives an entry, runs the FCC
 * check for Otelco, and opens payments and the cluster. Every page is saved
 * to test-results/admin/ and checked with axe-core. The cases share one
 * browser page and run in order: the first signs in for the others.
 */
import { describe, expect, layer } from "@effect/vitest"
import { ComplianceEntry, ScheduleEntry } from "@pw/compliance-entry/ComplianceEntry"
import { PlannedEntry, RuleSource } from "@pw/domain/compliance/PlannedEntry"
import { Context, Effect, Layer } from "effect"
import type { Page } from "playwright"
import { insertCarrier } from "../../runners/api/test/admin/AdminRows.ts"
import * as AdminBrowser from "../support/AdminBrowser.ts"
import * as Platform from "../support/InProcessPlatform.ts"
import { baseUrl, createAdmin, createOrder, payOrder, type TestAccount, totpNow } from "./support/AdminFixtures.ts"

const frn = "0000000123"
const scriptName = "<script>alert(1)</script>"

/** One entry of the carrier, due in March 2030 so no timer fires during the test. */
const planned = new PlannedEntry({
  obligationId: "fcc-cpni-certification",
  title: "CPNI certification",
  jurisdiction: "FCC",
  period: "2029",
  dueDate: "2030-03-01",
  nominalDueDate: "2030-03-01",
  timeZone: "America/New_York",
  source: new RuleSource({ citation: "47 CFR 64.2009(e)", verified: true }),
  explanation: "Scheduled for the console test.",
  billableAmount: 14_900
})

/** The browser page and the admin who signs in. */
class Scenario extends Context.Tag("OperationsPagesBrowserTest/Scenario")<Scenario, {
  readonly page: Page
  readonly admin: TestAccount
}>() {}

const ScenarioLive = Layer.scoped(Scenario, Effect.gen(function*() {
  const base = yield* baseUrl
  const browser = yield* AdminBrowser.AdminBrowser
  const admin = yield* createAdmin
  yield* insertCarrier(frn, scriptName)
  const makeEntry = yield* ComplianceEntry.client
  yield* makeEntry(planned.entryKey(frn)).Schedule(new ScheduleEntry({ entry: planned, carrierId: frn })).pipe(Effect.orDie)
  const order = yield* createOrder(base, "operations-browser")
  yield* payOrder(base, order)
  const page = yield* AdminBrowser.openPage(browser, base)
  return { page, admin }
})).pipe(Layer.provide(AdminBrowser.layer))


// The live clock: TOTP codes follow the real date.
layer(Platform.layer, { excludeTestServices: true, timeout: "180 seconds" })("Operations pages in Chromium", (it) => {
  it.layer(ScenarioLive, { timeout: "300 seconds" })((it) => {
    describe("operations", () => {
      it.effect("signs in to carriers", () =>
        Effect.gen(function*() {
          const { page, admin } = yield* Scenario
          yield* Effect.promise(async () => {
            await page.goto("/admin/carriers")
            await page.getByLabel("E-mail").fill(admin.email)
            await page.getByLabel("Password").fill(admin.password)
            await page.getByLabel("Authenticator code").fill(totpNow(admin.totpSecret ?? ""))
            await page.getByRole("button", { name: "Sign in" }).click()
            await page.getByRole("heading", { level: 1, name: "Carriers" }).waitFor()
          })
          expect(new URL(page.url()).pathname).toBe("/admin/carriers")
          expect(yield* AdminBrowser.checkPage(page, "carriers")).toEqual([])
        }))

      it.effect("searches carriers by FRN", () =>
        Effect.gen(function*() {
          const { page } = yield* Scenario
          yield* Effect.promise(async () => {
            await page.getByLabel("Name or FRN").fill(frn)
            await page.getByLabel("Name or FRN").press("Enter")
            await page.getByRole("caption").getByText(`Carriers matching “${frn}”`).waitFor()
          })
          const link = page.getByRole("link", { name: scriptName })
          expect(yield* Effect.promise(() => link.count())).toBe(1)
          expect(yield* AdminBrowser.checkPage(page, "carriers-search")).toEqual([])
        }))

      it.effect("calendar shows the month", () =>
        Effect.gen(function*() {
          const { page } = yield* Scenario
          yield* Effect.promise(async () => {
            await page.getByRole("link", { name: scriptName }).click()
            await page.getByRole("heading", { level: 1, name: scriptName }).waitFor()
            await page.getByLabel("Month", { exact: true }).fill("2030-03")
            await page.getByRole("button", { name: "Show month" }).click()
            await page.getByRole("table", { name: "March 2030" }).waitFor()
          })
          const grid = yield* Effect.promise(() => page.getByRole("table", { name: "March 2030" }).innerText())
          expect(grid).toContain("CPNI certification")
          expect(yield* AdminBrowser.checkPage(page, "carrier-calendar")).toEqual([])
        }))

      it.effect("waives an entry", () =>
        Effect.gen(function*() {
          const { page } = yield* Scenario
          const reason = "Carrier left the voice market in 2029"
          yield* Effect.promise(async () => {
            await page.getByLabel("Reason to waive CPNI certification").fill(reason)
            await page.getByRole("button", { name: "Waive CPNI certification" }).click()
            await page.getByRole("status").getByText("The entry is waived.").waitFor()
          })
          const list = yield* Effect.promise(() => page.locator("#entries").innerText())
          expect(list).toContain(reason)
          expect(list).toContain("Waived")
          expect(yield* AdminBrowser.checkPage(page, "carrier-waived")).toEqual([])
        }))

      it.effect("checks Otelco's FRN", () =>
        Effect.gen(function*() {
          const { page } = yield* Scenario
          yield* AdminBrowser.followNavigation(page, "FCC check", "FCC compliance check")
          expect(yield* AdminBrowser.checkPage(page, "fcc-check-form")).toEqual([])
          yield* Effect.promise(async () => {
            await page.getByLabel("FRN", { exact: true }).fill("0018538512")
            await page.getByLabel("Offers broadband internet access").selectOption("yes")
            await page.getByRole("button", { name: "Check" }).click()
            await page.getByRole("heading", { level: 2, name: "Otelco Telephone LLC" }).waitFor()
          })
          const filer = yield* Effect.promise(() => page.getByRole("row", { name: /Form 499 filer status/ }).innerText())
          expect(filer).toContain("2025-04-01")
          expect(yield* AdminBrowser.checkPage(page, "fcc-check")).toEqual([])
        }))

      it.effect("lists payments", () =>
        Effect.gen(function*() {
          const { page } = yield* Scenario
          yield* AdminBrowser.followNavigation(page, "Payments", "Payments")
          const payments = yield* Effect.promise(() => page.getByRole("table", { name: "Payments, newest first" }).innerText())
          expect(payments).toContain("sandbox")
          expect(yield* AdminBrowser.checkPage(page, "payments")).toEqual([])
        }))

      it.effect("shows the cluster", () =>
        Effect.gen(function*() {
          const { page } = yield* Scenario
          yield* AdminBrowser.followNavigation(page, "Cluster", "Cluster")
          const shards = yield* Effect.promise(() => page.getByRole("table", { name: /Locked shards/ }).innerText())
          expect(shards).toContain("default")
          expect(yield* AdminBrowser.checkPage(page, "cluster")).toEqual([])
        }))
    })
  })
})
