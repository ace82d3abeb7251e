/**
 * The platform runs unchanged under Deno: the same sources, the same
 * node_modules, the whole CPNI certification order.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { customer, otelcoOrder } from "../support/Customer.ts"
import { pdfText } from "../support/PdfText.ts"
import { eventually, type PlatformProcess, startPlatform } from "../support/PlatformProcess.ts"

const staffKey = "deno-staff-key"

describe("platform under Deno", () => {
  let directory: string
  let platform: PlatformProcess

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "pw-deno-"))
    await chmod(directory, 0o755)
    platform = await startPlatform({ PW_DATA_DIR: join(directory, "var"), STAFF_API_KEY: staffKey }, "deno")
  })

  afterAll(async () => {
    // PostgreSQL may still be writing its shutdown checkpoint when Deno exits, so removal retries.
    await platform?.stop()
    await rm(directory, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 })
  })

  it("delivers a CPNI certification", async () => {
    const api = customer(platform.baseUrl)

    const created = await api.createOrder(otelcoOrder)
    await api.checkout(created.order.id, created.accessToken)
    await eventually("the certification to await review", async () => {
      const order = await api.getOrder(created.order.id, created.accessToken)
      return order.status === "awaiting_review" ? order : undefined
    })
    const delivered = await api.approve(created.order.id, staffKey)
    expect(delivered.status).toBe("delivered")

    const order = await api.getOrder(created.order.id, created.accessToken)
    const download = await api.download(order.documents[0]?.downloadUrl ?? "", created.accessToken)
    expect(await pdfText(download.bytes)).toContain("Otelco Telephone LLC")
  })
})
