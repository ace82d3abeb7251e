/**
 * The admin console end to end in Debian's Chromium, driven by Playwright,
 * against the whole application in this process. The staff member signs in
 * with password and TOTP, opens the queue and approves a CPNI certification
 * awaiting review, whose PDF LibreOffice rendered. Then they download the
 * PDF, complete a to-do, and the dashboard chart is checked against the
 * database. Every page is saved to
 * test-results/admin/ and checked with axe-core. The cases share one
 * browser page and run in order: the first signs in for the others.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { TodoStore } from "@pw/staff/TodoStore"
import { Context, Effect, Layer } from "effect"
import { readFile } from "node:fs/promises"
import type { Page } from "playwright"
import * as AdminBrowser from "../support/AdminBrowser.ts"
import * as Platform from "../support/InProcessPlatform.ts"
import { awaitStatus, baseUrl, createAdmin, createOrder, payOrder, type TestAccount, totpNow } from "./support/AdminFixtures.ts"

/** The browser page, the signed-in admin's account, the order awaiting review and the open to-do. */
class Scenario extends Context.Tag("AdminConsoleBrowserTest/Scenario")<Scenario, {
  readonly base: string
  readonly page: Page
  readonly admin: TestAccount
  readonly orderId: string
  readonly todoTitle: string
}>() {}

const todoTitle = "File the CPNI certification with the FCC"

const ScenarioLive = Layer.scoped(Scenario, Effect.gen(function*() {
  const base = yield* baseUrl
  const browser = yield* AdminBrowser.AdminBrowser
  const admin = yield* createAdmin
  const order = yield* createOrder(base, "browser-cpni")
  yield* payOrder(base, order)
  yield* awaitStatus(base, order, "awaiting_review")
  // A second order in another status, so the chart has more than one bar to check.
  yield* createOrder(base, "browser-unpaid", { items: [{ service: "rmd-filing" }] })
  yield* Effect.flatMap(TodoStore, (store) =>
    store.create({
      dedupeKey: `order:${order.orderId}:file-cpni`,
      kind: "manual_step",
      title: todoTitle,
      detail: "Upload the signed certification to ECFS in docket 06-36 and note the confirmation number.",
      orderId: order.orderId
    })).pipe(Effect.provide(TodoStore.layer), Effect.orDie)
  const page = yield* AdminBrowser.openPage(browser, base, { acceptDownloads: true })
  return { base, page, admin, orderId: order.orderId, todoTitle }
})).pipe(Layer.provide(AdminBrowser.layer))


// The live clock: TOTP codes and the certification year follow the real date.
layer(Platform.layer, { excludeTestServices: true, timeout: "180 seconds" })("Admin console in Chromium", (it) => {
  it.layer(ScenarioLive, { timeout: "300 seconds" })((it) => {
    describe("console", () => {
      it.effect("signs in with TOTP", () =>
        Effect.gen(function*() {
          const { page, admin } = yield* Scenario
          yield* Effect.promise(() => page.goto("/admin/orders"))
          expect(page.url()).toContain("/admin/sign-in?next=%2Fadmin%2Forders")
          expect(yield* AdminBrowser.checkPage(page, "sign-in")).toEqual([])
          yield* Effect.promise(async () => {
            await page.getByLabel("E-mail").fill(admin.email)
            await page.getByLabel("Password").fill(admin.password)
            await page.getByLabel("Authenticator code").fill(totpNow(admin.totpSecret ?? ""))
            await page.getByRole("button", { name: "Sign in" }).click()
            await page.getByRole("heading", { level: 1, name: "Orders" }).waitFor()
          })
          expect(new URL(page.url()).pathname).toBe("/admin/orders")
        }))

      it.effect("queue lists the order", () =>
        Effect.gen(function*() {
          const { page, orderId } = yield* Scenario
          yield* Effect.promise(async () => {
            await page.getByLabel("Status").selectOption("awaiting_review")
            await page.getByRole("button", { name: "Filter" }).click()
            await page.getByRole("caption").getByText("Orders with status Awaiting review").waitFor()
          })
          const rowText = yield* Effect.promise(() => page.getByRole("row", { name: new RegExp(orderId) }).innerText())
          expect(rowText).toContain("Otelco Telephone LLC")
          expect(rowText).toContain("Awaiting review")
          expect(yield* AdminBrowser.checkPage(page, "order-queue")).toEqual([])
        }))

      it.effect("approves the order", () =>
        Effect.gen(function*() {
          const { page, orderId } = yield* Scenario
          yield* Effect.promise(async () => {
            await page.getByRole("link", { name: orderId }).click()
            await page.getByRole("heading", { level: 1, name: `Order ${orderId}` }).waitFor()
          })
          expect(yield* AdminBrowser.checkPage(page, "order-detail")).toEqual([])
          yield* Effect.promise(async () => {
            await page.getByRole("button", { name: "Approve order" }).click()
            await page.getByRole("status").getByText("The order is approved").waitFor()
          })
          expect(yield* Effect.promise(() => page.locator("#order-status").innerText())).toBe("Delivered")
          expect((yield* Platform.orderRows(orderId)).status).toBe("delivered")
          const timeline = yield* Effect.promise(() => page.locator("#timeline").innerText())
          expect(timeline).toContain("Approved")
          expect(timeline).toContain("by Ada Admin")
          expect(yield* AdminBrowser.checkPage(page, "order-approved")).toEqual([])
        }))

      it.effect("downloads the PDF", () =>
        Effect.gen(function*() {
          const { page } = yield* Scenario
          const download = yield* Effect.promise(async () => {
            const started = page.waitForEvent("download")
            await page.getByRole("link", { name: /Download/ }).first().click()
            return await started
          })
          expect(download.suggestedFilename()).toMatch(/^cpni-certification-\d{4}\.pdf$/)
          const bytes = yield* Effect.promise(async () => readFile(await download.path()))
          expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-")
        }))

      it.effect("completes a to-do", () =>
        Effect.gen(function*() {
          const { page } = yield* Scenario
          yield* Effect.promise(async () => {
            await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "To-dos" }).click()
            await page.getByRole("heading", { level: 1, name: "To-dos" }).waitFor()
          })
          expect(yield* AdminBrowser.checkPage(page, "todos")).toEqual([])
          const note = "Filed on ECFS, confirmation 2026-0001"
          yield* Effect.promise(async () => {
            const todo = page.getByRole("article", { name: todoTitle })
            await todo.getByRole("button", { name: "Assign to me" }).click()
            await page.getByRole("status").getByText("The to-do is assigned").waitFor()
            const assigned = page.getByRole("article", { name: todoTitle })
            await assigned.getByLabel("Note on what was done").fill(note)
            await assigned.getByRole("button", { name: "Complete" }).click()
            await page.getByRole("status").getByText("The to-do is completed").waitFor()
          })
          const completed = yield* Effect.promise(() => page.locator("#completed-todos").innerText())
          expect(completed).toContain(todoTitle)
          expect(completed).toContain(note)
          expect(completed).toContain("Ada Admin")
          expect(yield* AdminBrowser.checkPage(page, "todos-completed")).toEqual([])
        }))

      it.effect("dashboard chart matches orders", () =>
        Effect.gen(function*() {
          const { page } = yield* Scenario
          yield* Effect.promise(async () => {
            await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Dashboard" }).click()
            await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor()
          })
          const bars = yield* Effect.promise(() =>
            page.locator("rect[data-status]").evaluateAll((elements) =>
              elements.map((element) => [element.getAttribute("data-status") ?? "", Number(element.getAttribute("data-count"))] as const)))
          const sql = yield* SqlClient.SqlClient
          const rows = yield* sql<{ status: string; count: number }>`SELECT status, count(*)::int AS count FROM orders GROUP BY status`
          const chart = new Map(bars)
          expect(rows.length).toBeGreaterThan(0)
          for (const row of rows) expect(chart.get(row.status), row.status).toBe(row.count)
          const counted = new Set(rows.map((row) => row.status))
          for (const [status, count] of bars) if (!counted.has(status)) expect(count, status).toBe(0)
          expect(yield* AdminBrowser.checkPage(page, "dashboard")).toEqual([])
        }))
    })
  })
})
