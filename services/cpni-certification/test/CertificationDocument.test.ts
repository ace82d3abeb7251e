import { describe, expect, it } from "@effect/vitest"
import { templateValues } from "@pw/documents/DocumentTemplates"
import { DateTime, Effect, Exit } from "effect"
import * as CertificationDocument from "../src/CertificationDocument.ts"
import { orderId, orderView } from "./fixtures.ts"

const preparedOn = DateTime.unsafeMake("2026-02-14T23:30:00Z")

describe("CertificationDocument.templateData", () => {
  it("fills carrier and officer fields", () => {
    const data = CertificationDocument.templateData(orderView(), preparedOn)

    expect(data?.legalName).toBe("Kennebec Valley Telephone Company")
    expect(data?.frn).toBe("0018538512")
    expect(data?.filer499Id).toBe("801003")
    expect(data?.address).toEqual({ street: "12 Water Street", city: "Augusta", state: "ME", postalCode: "04330" })
    expect(data?.officerName).toBe("Dana Whitfield")
    expect(data?.officerTitle).toBe("Chief Executive Officer")
    expect(data?.calendarYear).toBe(2025)
    expect(data?.dataBrokerActions).toBe("None")
    expect(data?.operatingProcedures).toContain("customers are authenticated")
  })

  it("formats preparedOn in UTC", () => {
    // 23:30 UTC is already February 15 east of UTC, so this checks that the date is taken in UTC.
    const data = CertificationDocument.templateData(orderView(), preparedOn)

    expect(data?.preparedOn).toBe("2026-02-14")
  })

  it("counts complaints", () => {
    const data = CertificationDocument.templateData(orderView(), preparedOn)

    expect(data?.complaintsEmployees).toBe(1)
    expect(data?.complaintsDisclosure).toBe(2)
    expect(data?.complaintsOnline).toBe(4)
  })

  it.effect("fits the template schema", () =>
    Effect.gen(function*() {
      const data = CertificationDocument.templateData(orderView(), preparedOn)
      const values = yield* Effect.exit(templateValues("cpni-certification", data))

      expect(Exit.isSuccess(values)).toBe(true)
    }))

  it("marks sandbox payment as sample", () => {
    const data = CertificationDocument.templateData(orderView({ gateways: ["sandbox"] }), preparedOn)

    expect(data?.sample).toBe(true)
  })

  it.each(["stripe", "paypal", "shkeeper"] as const)("%s payment is not sample", (gateway) => {
    const data = CertificationDocument.templateData(orderView({ gateways: [gateway] }), preparedOn)

    expect(data?.sample).toBe(false)
  })

  it("unpaid order is not sample", () => {
    const data = CertificationDocument.templateData(orderView({ gateways: [] }), preparedOn)

    expect(data?.sample).toBe(false)
  })

  it("returns undefined without facts", () => {
    expect(CertificationDocument.templateData(orderView({ withFacts: false }), preparedOn)).toBeUndefined()
  })
})

describe("CertificationDocument names", () => {
  it("builds object keys per format", () => {
    expect(CertificationDocument.objectKey(orderId, 2025, "docx")).toBe(
      "orders/ord_abcdefghijklmnopqrst/cpni-certification-2025.docx"
    )
    expect(CertificationDocument.objectKey(orderId, 2025, "pdf")).toBe(
      "orders/ord_abcdefghijklmnopqrst/cpni-certification-2025.pdf"
    )
  })

  it("names the download by year", () => {
    expect(CertificationDocument.fileName(2025)).toBe("cpni-certification-2025.pdf")
  })
})
