/**
 * Debian's Chromium driven by Playwright for the admin console tests: one
 * browser per test file, scoped so it closes with the file's layer, with
 * helpers to save a screenshot of each page and to run axe-core on it.
 * Playwright never downloads a browser here: it launches /usr/bin/chromium.
 */
import { AxeBuilder } from "@axe-core/playwright"
import { Context, Effect, Layer } from "effect"
import { mkdir } from "node:fs/promises"
import { join } from "node:path"
import { type Browser, chromium, type Page } from "playwright"

/** Chromium from Debian's `chromium` package. */
export const chromiumPath = "/usr/bin/chromium"

/** Folder, relative to the repository root, where page screenshots are saved. */
export const screenshotDirectory = join("test-results", "admin")

/** The launched browser. */
export class AdminBrowser extends Context.Tag("test/AdminBrowser")<AdminBrowser, Browser>() {}

/** Launches headless Chromium (60 s limit) and closes it when the layer is released. */
export const layer = Layer.scoped(
  AdminBrowser,
  Effect.acquireRelease(
    Effect.promise(() => chromium.launch({ executablePath: chromiumPath, headless: true, timeout: 60_000 })),
    (browser) => Effect.promise(() => browser.close())
  )
)

/** Saves a full-page screenshot of `page` as `test-results/admin/<name>.png`. */
export const saveScreenshot = (page: Page, name: string) =>
  Effect.promise(async () => {
    await mkdir(screenshotDirectory, { recursive: true })
    await page.screenshot({ path: join(screenshotDirectory, `${name}.png`), fullPage: true })
  })

/**
 * Runs axe-core on `page` and returns its violations of impact serious or
 * critical, each as `rule: help (selectors)`, so an assertion failure names
 * what to fix.
 */
export const seriousViolations = (page: Page) =>
  Effect.promise(async () => {
    const results = await new AxeBuilder({ page }).analyze()
    return results.violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`)
  })

/** Opens a page in a new browser context on `baseURL`; the context closes with the scope. */
export const openPage = (browser: Browser, baseURL: string, options: { readonly acceptDownloads?: boolean } = {}) =>
  Effect.gen(function*() {
    const context = yield* Effect.acquireRelease(
      Effect.promise(() => browser.newContext({ baseURL, acceptDownloads: options.acceptDownloads ?? false })),
      (opened) => Effect.promise(() => opened.close())
    )
    return yield* Effect.promise(() => context.newPage())
  })

/** Saves the page's screenshot as `name` and returns its serious or critical axe violations. */
export const checkPage = (page: Page, name: string) => Effect.zipRight(saveScreenshot(page, name), seriousViolations(page))

/** Follows the console navigation link `name` and waits for the page's heading `heading`. */
export const followNavigation = (page: Page, name: string, heading: string) =>
  Effect.promise(async () => {
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name, exact: true }).click()
    await page.getByRole("heading", { level: 1, name: heading }).waitFor()
  })
