/**
 * Kills the platform with SIGKILL between the steps of a CPNI certification
 * order and restarts it on the same database and object store. The order
 * still reaches delivered with one payment, one document and each audit step
 * once. PostgreSQL runs apart from the platform, so the test can read it.
 */
import { existsSync } from "node:fs"
import { chmod, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { customer, type OrderBody, otelcoOrder } from "../support/Customer.ts"
import { type ExternalDatabase, startDatabase } from "../support/ExternalDatabase.ts"
import { pdfText } from "../support/PdfText.ts"
import { eventually, type PlatformProcess, startPlatform } from "../support/PlatformProcess.ts"

const staffKey = "chaos-staff-key"

describe("platform crash", () => {
  let directory: string
  let database: ExternalDatabase
  let platform: PlatformProcess | undefined

  const start = async () => {
    platform = await startPlatform({
      DATABASE_URL: database.url,
      PW_DATA_DIR: join(directory, "var"),
      STAFF_API_KEY: staffKey,
      PW_SIGNING_SECRET: "chaos-signing-secret"
    })
    return platform
  }

  const count = async (query: string, orderId: string): Promise<number> => {
    const result = await database.client.query<{ count: string }>(query, [orderId])
    return Number(result.rows[0]?.count ?? Number.NaN)
  }

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "pw-chaos-"))
    await chmod(directory, 0o755)
    database = await startDatabase(join(directory, "postgres"))
  })

  afterAll(async () => {
    await platform?.stop()
    await database?.close()
    await rm(directory, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 })
  })

  it("recovers an order killed between steps", async () => {
    let running = await start()
    const created = await customer(running.baseUrl).createOrder(otelcoOrder, "chaos-otelco")
    const orderId = created.order.id
    const token = created.accessToken

    // Kill 1: the payment is recorded and the workflow started, nothing rendered yet.
    await customer(running.baseUrl).checkout(orderId, token)
    await running.kill9()

    // Kill 2: the DOCX is rendered and stored, the PDF not yet attached.
    running = await start()
    const docxObject = join(directory, "var", "objects", "documents", "orders", orderId, "cpni-certification-2025.docx._S3rver_object")
    await eventually("the rendered DOCX", async () => existsSync(docxObject) ? true : undefined, { intervalMillis: 20 })
    await running.kill9()

    // Kill 3: the document is attached and the workflow waits for staff approval.
    running = await start()
    const inReview = await eventually("the order to await review", async () => {
      const order: OrderBody = await customer(running.baseUrl).getOrder(orderId, token)
      return order.status === "awaiting_review" ? order : undefined
    })
    expect(inReview.documents).toHaveLength(1)
    await running.kill9()

    running = await start()
    const delivered = await customer(running.baseUrl).approve(orderId, staffKey)
    expect(delivered.status).toBe("delivered")

    expect(await count("SELECT count(*) FROM order_payments WHERE order_id = $1", orderId)).toBe(1)
    expect(await count("SELECT count(*) FROM order_documents WHERE order_id = $1", orderId)).toBe(1)

    const audit = await database.client.query<{ event: string; count: string }>(
      "SELECT event, count(*) FROM audit_events WHERE entity_type = 'Order' AND entity_id = $1 GROUP BY event ORDER BY event",
      [orderId]
    )
    expect(Object.fromEntries(audit.rows.map((row) => [row.event, Number(row.count)]))).toEqual({
      approved: 1,
      created: 1,
      document_attached: 1,
      fulfilment_started: 1,
      payment_recorded: 1
    })

    const order = await customer(running.baseUrl).getOrder(orderId, token)
    const download = await customer(running.baseUrl).download(order.documents[0]?.downloadUrl ?? "", token)
    expect(await pdfText(download.bytes)).toContain("Otelco Telephone LLC")
  })
})
