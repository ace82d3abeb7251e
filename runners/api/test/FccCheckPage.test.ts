import { describe, expect, it } from "@effect/vitest"
import { Frn } from "@pw/domain/Carrier"
import { CheckedCarrier, FccCheckReport, Finding, FindingSource } from "@pw/fcc-check/FccCheckReport"
import { Schema } from "effect"
import { renderCheckPage } from "../src/FccCheckPage.ts"

const markup = "<script>alert(1)</script>"
const frn = Schema.decodeUnknownSync(Frn)("0091000001")

const report = new FccCheckReport({
  frn,
  checkedOn: "2026-12-05",
  carrier: new CheckedCarrier({ frn, legalName: markup }),
  findings: [
    new Finding({
      key: "robocall-mitigation-database",
      title: "Robocall Mitigation Database",
      status: "ok",
      rule: "rule",
      explanation: `Filed as ${markup}.`,
      source: new FindingSource({ name: "FCC Robocall Mitigation Database", url: "https://example.com/?a=\"b\"" })
    })
  ]
})

describe("FccCheckPage", () => {
  it("escapes the carrier name", () => {
    expect(renderCheckPage(report)).not.toContain(markup)
  })

  it("shows the name as text", () => {
    expect(renderCheckPage(report)).toContain("&lt;script&gt;alert(1)&lt;/script&gt;")
  })

  it("escapes quotes in links", () => {
    expect(renderCheckPage(report)).toContain("href=\"https://example.com/?a=&quot;b&quot;\"")
  })
})
