/**
 * A customer orders CPNI certification for Otelco Telephone LLC over HTTP,
 * pays in the sandbox, staff approve, and the customer downloads the PDF,
 * against the platform started as `npm start` starts it: embedded PostgreSQL,
 * embedded object store, real LibreOffice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { chmod, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { customer, otelcoOrder } from "../support/Customer.ts"
import { pdfText } from "../support/PdfText.ts"
import { eventually, type PlatformProcess, startPlatform } from "../support/PlatformProcess.ts"

const staffKey = "e2e-staff-key"

describe("CPNI certification order", () => {
  let dataDirectory: string
  let platform: PlatformProcess

  beforeAll(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), "pw-e2e-"))
    await chmod(dataDirectory, 0o755)
    platform = await startPlatform({ PW_DATA_DIR: join(dataDirectory, "var"), STAFF_API_KEY: staffKey })
  })

  afterAll(async () => {
    await platform?.stop()
    await rm(dataDirectory, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 })
  })

  it("delivers a PDF with the carrier's facts", async () => {
    const api = customer(platform.baseUrl)

    const created = await api.createOrder(otelcoOrder, "e2e-otelco-1")
    expect(created.order.status).toBe("awaiting_payment")
    expect(created.order.documentProgress.summary).toBe("0 of 1 document generated")

    const paid = await api.checkout(created.order.id, created.accessToken)
    expect(paid.payments).toHaveLength(1)

    const inReview = await eventually("the certification to await review", async () => {
      const order = await api.getOrder(created.order.id, created.accessToken)
      return order.status === "awaiting_review" ? order : undefined
    })
    expect(inReview.documents).toHaveLength(1)
    expect(inReview.documentProgress.summary).toBe("1 of 1 document generated")

    const delivered = await api.approve(created.order.id, staffKey)
    expect(delivered.status).toBe("delivered")

    const order = await api.getOrder(created.order.id, created.accessToken)
    const document = order.documents[0]
    expect(document?.fileName).toBe("cpni-certification-2025.pdf")

    const download = await api.download(document?.downloadUrl ?? "", created.accessToken)
    expect(download.contentType).toBe("application/pdf")

    const text = await pdfText(download.bytes)
    expect(text).toContain("Otelco Telephone LLC")
    expect(text).toContain("0018538512")
    expect(text).toContain("2025")
    expect(text).toContain("EB Docket No. 06-36")
    expect(text).toContain("SAMPLE")
  })

  it("replays a create with the same Idempotency-Key", async () => {
    const api = customer(platform.baseUrl)

    const first = await api.createOrder(otelcoOrder, "e2e-otelco-replay")
    const second = await api.createOrder(otelcoOrder, "e2e-otelco-replay")

    expect(second.order.id).toBe(first.order.id)
    expect(second.accessToken).toBe(first.accessToken)
  })
})
