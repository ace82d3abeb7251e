import { describe, expect, it } from "@effect/vitest"
import { CarrierProfile, Frn } from "@pw/domain/Carrier"
import { CpniCertificationFacts, totalComplaints } from "@pw/domain/CpniCertification"
import { OrderItem } from "@pw/domain/Quote"
import { Either, ParseResult, Schema } from "effect"

/** Decodes `input` and returns the formatted parse error, or fails the test when decoding succeeds. */
const decodeError = <A, I>(schema: Schema.Schema<A, I>, input: unknown): string => {
  const result = Schema.decodeUnknownEither(schema)(input)
  if (Either.isRight(result)) throw new Error(`expected ${JSON.stringify(input)} to be rejected`)
  return ParseResult.TreeFormatter.formatErrorSync(result.left)
}

const validFacts = {
  officerName: "Dana Whitfield",
  officerTitle: "Chief Executive Officer",
  calendarYear: 2025,
  operatingProcedures: "Employees are trained on CPNI rules; customer authentication precedes any call detail release.",
  complaints: { improperAccessByEmployees: 0, improperDisclosureToUnauthorizedIndividuals: 1, improperOnlineAccess: 2 },
  dataBrokerActions: "None"
}

describe("Frn", () => {
  it("keeps leading zeros", () => {
    const frn = Schema.decodeUnknownSync(Frn)("0018538512")

    expect(frn).toBe("0018538512")
  })

  it.each([
    ["9 digits", "001853851"],
    ["11 digits", "00185385123"],
    ["letters", "00185385AB"]
  ])("rejects %s", (_label, input) => {
    expect(decodeError(Frn, input)).toContain("FRN must be exactly 10 digits")
  })

  it.each([
    ["number", 18538512],
    ["10-digit number", 1018538512]
  ])("rejects %s", (_label, input) => {
    expect(decodeError(Frn, input)).toContain("Expected string")
  })

  it("names the value it rejects", () => {
    expect(decodeError(Frn, "001853851")).toContain("\"001853851\"")
  })
})

describe("CarrierProfile", () => {
  it("trims legal name", () => {
    const profile = Schema.decodeUnknownSync(CarrierProfile)({
      frn: "0018538512",
      legalName: "  Kennebec Telephone Company  ",
      filer499Id: "801003",
      address: { street: "1 Main Street", city: "Augusta", state: "ME", postalCode: "04330" }
    })

    expect(profile.legalName).toBe("Kennebec Telephone Company")
  })

  it("rejects five-digit filer id", () => {
    const message = decodeError(CarrierProfile, {
      frn: "0018538512",
      legalName: "Kennebec Telephone Company",
      filer499Id: "80100",
      address: { street: "1 Main Street", city: "Augusta", state: "ME", postalCode: "04330" }
    })

    expect(message).toContain("499 Filer ID must be exactly 6 digits")
  })
})

describe("OrderItem", () => {
  it("defaults quantity to 1", () => {
    const item = Schema.decodeUnknownSync(OrderItem)({ service: "cpni-certification" })

    expect(item.quantity).toBe(1)
  })

  it.each([
    ["zero", 0],
    ["negative", -1],
    ["fraction", 1.5]
  ])("rejects %s quantity", (_label, quantity) => {
    expect(decodeError(OrderItem, { service: "cpni-certification", quantity })).toContain("quantity")
  })

  it("explains positive quantity rule", () => {
    expect(decodeError(OrderItem, { service: "cpni-certification", quantity: 0 })).toContain(
      "quantity must be a whole number of at least 1"
    )
  })

  it("rejects lower-case state", () => {
    expect(decodeError(OrderItem, { service: "foreign-qualification-single", state: "wy" })).toContain("state")
  })
})

describe("CpniCertificationFacts", () => {
  it("accepts valid facts", () => {
    const facts = Schema.decodeUnknownSync(CpniCertificationFacts)(validFacts)

    expect(facts.calendarYear).toBe(2025)
    expect(totalComplaints(facts.complaints)).toBe(3)
  })

  it("rejects missing officerName", () => {
    const { officerName: _omitted, ...withoutOfficer } = validFacts

    expect(decodeError(CpniCertificationFacts, withoutOfficer)).toContain("officerName")
  })

  it.each([
    ["empty", ""],
    ["blank", "   "]
  ])("rejects %s operatingProcedures", (_label, operatingProcedures) => {
    expect(decodeError(CpniCertificationFacts, { ...validFacts, operatingProcedures })).toContain(
      "operatingProcedures is empty"
    )
  })

  it.each([
    ["improperAccessByEmployees"],
    ["improperDisclosureToUnauthorizedIndividuals"],
    ["improperOnlineAccess"]
  ])("rejects negative %s", (category) => {
    const complaints = { ...validFacts.complaints, [category]: -1 }

    expect(decodeError(CpniCertificationFacts, { ...validFacts, complaints })).toContain(
      `${category} must be a whole number of 0 or more`
    )
  })

  it("rejects calendarYear 1999", () => {
    expect(decodeError(CpniCertificationFacts, { ...validFacts, calendarYear: 1999 })).toContain(
      "calendarYear must be a four-digit year from 2007 on"
    )
  })
})
