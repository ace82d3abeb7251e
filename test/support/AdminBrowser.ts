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
