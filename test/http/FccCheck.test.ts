/**
 * The public FCC compliance check over HTTP, on the sample data the
 * application loads into its fresh database: the JSON report, the printable
 * page, bad input, and the order its remediation prefills.
 */
import { CreatedOrder } from "@pw/api/Api"
import { FccCheckReport } from "@pw/fcc-check/FccCheckReport"
import { Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Platform from "../support/InProcessPlatform.ts"

const decodeReport = Schema.decodeUnknownSync(FccCheckReport)
const decodeCreated = Schema.decodeUnknownSync(CreatedOrder)
const ErrorBody = Schema.Struct({ _tag: Schema.String, message: Schema.String, field: Schema.optional(Schema.String) })
const decodeError = Schema.decodeUnknownSync(ErrorBody)

let app: Platform.InProcessPlatform

beforeAll(async () => {
  app = await Platform.start()
})

afterAll(async () => {
  await app?.dispose()
})

const get = async (path: string) => {
  const response = await fetch(`${app.baseUrl}${path}`)
  return { status: response.status, type: response.headers.get("content-type") ?? "", text: await response.text() }
}

const check = async (query: string) => {
  const reply = await get(`/v1/tools/fcc-compliance-check?${query}`)
  expect(reply.status).toBe(200)
  return decodeReport(JSON.parse(reply.text))
}

describe("GET /v1/tools/fcc-compliance-check", () => {
  it("reports Otelco's 499-A of 4/1/2025", async () => {
    const report = await check("frn=0018538512")
    expect(report.findings.find((finding) => finding.key === "form-499-filer")?.facts?.lastFiling).toBe("2025-04-01")
  })

  it("gives the no-record FRN the red light", async () => {
    const report = await check("frn=0000000000")
    expect(report.findings.find((finding) => finding.key === "cores-registration")?.status).toBe("missing")
  })

  it("dates each source of the samples", async () => {
    const report = await check("frn=0018538512")
    const filer = report.findings.find((finding) => finding.key === "form-499-filer")
    expect(filer?.source.asOf).toBe("2026-06-01")
  })

  it("rejects a short FRN by value", async () => {
    const reply = await get("/v1/tools/fcc-compliance-check?frn=12345")
    const body = decodeError(JSON.parse(reply.text))
    expect({ status: reply.status, field: body.field, named: body.message.includes("\"12345\"") }).toEqual({
      status: 400,
      field: "frn",
      named: true
    })
  })

  it("rejects an answer other than yes or no", async () => {
    const reply = await get("/v1/tools/fcc-compliance-check?frn=0018538512&broadband=maybe")
    expect({ status: reply.status, field: decodeError(JSON.parse(reply.text)).field }).toEqual({ status: 400, field: "broadband" })
  })

  it("prices the quote for the payment method asked", async () => {
    const report = await check("frn=0018538512&paymentMethod=ach")
    expect(report.remediation?.quote.surcharge).toBe(0)
  })
})

describe("GET /v1/tools/fcc-compliance-check/report", () => {
  it("serves a printable HTML page", async () => {
    const reply = await get("/v1/tools/fcc-compliance-check/report?frn=0018538512")
    expect({ status: reply.status, html: reply.type.startsWith("text/html"), named: reply.text.includes("Otelco Telephone LLC") }).toEqual({
      status: 200,
      html: true,
      named: true
    })
  })
})

describe("remediation order", () => {
  it("creates the order it prefills", async () => {
    const report = await check("frn=0018538512")
    const remediation = report.remediation
    expect(remediation?.fieldsToComplete).toEqual([])
    const response = await fetch(`${app.baseUrl}/v1/orders`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(remediation?.orderRequest)
    })
    const created = decodeCreated(await response.json())
    expect({ status: response.status, total: created.order.quote.total }).toEqual({
      status: 201,
      total: remediation?.quote.total
    })
  })
})
