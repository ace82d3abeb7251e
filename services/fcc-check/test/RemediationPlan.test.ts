import { describe, expect, it } from "@effect/vitest"
import { Frn } from "@pw/domain/Carrier"
import * as Pricing from "@pw/domain/Pricing"
import { OrderItem } from "@pw/domain/Quote"
import type { FrnRecords } from "@pw/fcc-data/FccDataStore"
import { Effect, Either, Schema } from "effect"
import { prefilledCarrier } from "../src/RemediationPlan.ts"

/** Every service a finding can name as its remedy. */
const remedyServices = [
  "cores-frn-registration",
  "rmd-filing",
  "fcc-499-initial",
  "fcc-499a",
  "fcc-499a-499q",
  "cpni-certification",
  "bdc-filing",
  "bdc-broadband",
  "bdc-voice",
  "dc-agent"
]

const emptyRecords: FrnRecords = { filers: [], rmd: [], cores: null, datasets: {}, cpni_orders: [], cpni_entries: [] }
const frn = Schema.decodeUnknownSync(Frn)("0091000001")

describe("RemediationPlan", () => {
  it.effect.each(remedyServices)("prices the remedy %s", (service) =>
    Effect.gen(function*() {
      const priced = yield* Effect.either(Pricing.quote([new OrderItem({ service, quantity: 1 })], "card"))
      expect(Either.isRight(priced)).toBe(true)
    }))

  it("formats a nine-digit ZIP code", () => {
    const filer = {
      filer_id: "899001",
      legal_name: "Harbor Point Voice LLC",
      doing_business_as: null,
      last_filing: null,
      usf_contributor: false,
      principal_comm_type: null,
      hq_address: "200 Example Street",
      hq_city: "Portland",
      hq_state: "OR",
      hq_zip_code: "972011234",
      dc_agent: null,
      dc_agent_address: null
    }
    expect(prefilledCarrier(frn, { ...emptyRecords, filers: [filer] }).address.postalCode).toBe("97201-1234")
  })

  it("leaves an unknown carrier to complete", () => {
    expect(prefilledCarrier(frn, emptyRecords).legalName).toBeUndefined()
  })
})
