import { SqlClient } from "@effect/sql"
import { describe, expect, it, layer } from "@effect/vitest"
import { ComplianceEntryLive } from "@pw/compliance-entry/ComplianceEntryLive"
import { EntryMessenger } from "@pw/compliance-entry/EntryMessenger"
import { NextPeriod } from "@pw/compliance-entry/NextPeriod"
import { services } from "@pw/domain/Catalog"
import { CarrierProfile } from "@pw/domain/Carrier"
import { ComplianceProfile } from "@pw/domain/compliance/ComplianceProfile"
import { defaultRuleSet } from "@pw/domain/compliance/DefaultRuleSet"
import { OrderId } from "@pw/domain/Order"
import { OrderItem } from "@pw/domain/Quote"
import { EmailTemplates } from "@pw/mail/EmailTemplates"
import * as InMemoryCluster from "@pw/runtime/InMemoryCluster"
import { DateTime, Effect, Layer, Schema } from "effect"
import { randomInt } from "node:crypto"
import * as VirtualTime from "../../../entities/order/test/VirtualTime.ts"
import * as TestDatabase from "../../../test/support/TestDatabase.ts"
import { ComplianceProfileStore } from "../src/ComplianceProfileStore.ts"
import {
  coveredObligations,
  nextEntries,
  OrderedServicesPlanner,
  profileFromOrder,
  serviceCoverage
} from "../src/OrderedServicesPlanner.ts"

/** The day after the 2027 CPNI and RMD due dates, so their next entries fall in 2028. */
const plannedAt = DateTime.unsafeMake("2027-03-02T12:00:00Z")
const contactEmail = "compliance@ridgevalley.example.com"
const decodeCarrier = Schema.decodeUnknownSync(CarrierProfile)
const decodeProfile = Schema.decodeUnknownSync(ComplianceProfile)
const decodeOrderId = Schema.decodeUnknownSync(OrderId)

/** A random FRN, so that cases sharing the database do not share entries. */
const newFrn = (): string => `07${String(randomInt(0, 100_000_000)).padStart(8, "0")}`

/** A fictional carrier with FRN `frn`. */
const carrier = (frn: string) =>
  decodeCarrier({
    frn,
    legalName: "Ridge Valley Telephone LLC",
    filer499Id: "899001",
    address: { street: "1 Example Road", city: "Springfield", state: "ME", postalCode: "04000" }
  })

/** A paid order of `slugs` for the carrier `frn`. */
const order = (frn: string, ...slugs: ReadonlyArray<string>) => ({
  id: decodeOrderId("ord_abcdefghijklmnopqrst"),
  carrier: carrier(frn),
  items: slugs.map((service) => new OrderItem({ service })),
  contactEmail
})

/** An interconnected VoIP carrier above the de minimis limit. */
const voipProfile = (frn: string) =>
  decodeProfile({
    frn,
    serviceCategories: ["interconnected-voip"],
    priorYearInterstateRevenueCents: 500_000_000,
    newFiler: false,
    usStates: [],
    events: []
  })

const plannedKeys = (profile: ComplianceProfile, obligations: ReadonlyArray<string>, now: DateTime.Utc) =>
  nextEntries(profile, obligations, now).map((entry) => `${entry.obligationId}:${entry.period}:${entry.dueDate}`)

describe("service coverage", () => {
  it("covers every catalog slug", () => {
    expect(services.map((service) => service.slug).filter((slug) => serviceCoverage[slug] === undefined)).toEqual([])
  })

  it("names only known rules", () => {
    const ruleIds = defaultRuleSet.rules.map((rule) => rule.id)
    const named = Object.values(serviceCoverage).flatMap((coverage) => coverage._tag === "Files" ? coverage.obligations : [])
    expect(named.filter((id) => !ruleIds.includes(id))).toEqual([])
  })

  it("bundles only catalog slugs", () => {
    const parts = Object.values(serviceCoverage).flatMap((coverage) => coverage._tag === "Bundle" ? coverage.parts : [])
    expect(parts.filter((slug) => serviceCoverage[slug] === undefined)).toEqual([])
  })

  it("maps single services", () => {
    expect(coveredObligations(["cpni-certification", "rmd-filing"])).toEqual(["fcc-cpni-certification", "fcc-rmd-recertification"])
  })

  it("maps 499-A with 499-Q", () => {
    expect(coveredObligations(["fcc-499a-499q"])).toEqual(["fcc-499a", "fcc-499q"])
  })

  it("resolves bundles without duplicates", () => {
    expect(coveredObligations(["new-carrier-bundle", "cpni-certification"])).toEqual([
      "fcc-rmd-recertification",
      "fcc-cpni-certification",
      "fcc-calea-ssi-update"
    ])
  })

  it("maps BDC parts to BDC", () => {
    expect(coveredObligations(["bdc-voice", "bdc-broadband"])).toEqual(["fcc-bdc"])
  })

  it("covers nothing for formation", () => {
    expect(coveredObligations(["us-state-formation", "dc-agent", "no-such-service"])).toEqual([])
  })
})

describe("nextEntries", () => {
  const profile = voipProfile("0700000001")

  it("keeps an entry due today", () => {
    expect(plannedKeys(profile, ["fcc-cpni-certification"], DateTime.unsafeMake("2027-03-02T04:59:00Z"))).toEqual([
      "fcc-cpni-certification:2026:2027-03-01"
    ])
  })

  it("skips an entry past due", () => {
    expect(plannedKeys(profile, ["fcc-cpni-certification"], DateTime.unsafeMake("2027-03-02T05:00:00Z"))).toEqual([
      "fcc-cpni-certification:2027:2028-03-01"
    ])
  })

  it("takes the first quarter coming", () => {
    expect(plannedKeys(profile, ["fcc-499q"], plannedAt)).toEqual(["fcc-499q:2027-Q1:2027-05-03"])
  })

  it("finds December 31 on New Year", () => {
    const atDecemberEnd = decodeProfile({ ...Schema.encodeSync(ComplianceProfile)(profile), events: [{ kind: "calea-triggering-change", date: "2026-10-02" }] })
    expect(plannedKeys(atDecemberEnd, ["fcc-calea-ssi-update"], DateTime.unsafeMake("2027-01-01T03:00:00Z"))).toEqual([
      "fcc-calea-ssi-update:2026-10-02:2026-12-31"
    ])
  })

  it("skips an event rule without event", () => {
    expect(plannedKeys(profile, ["fcc-calea-ssi-update"], plannedAt)).toEqual([])
  })

  it("plans only 499-A from an order", () => {
    const obligations = coveredObligations(["fcc-full-compliance", "calea-ssi"])
    expect(plannedKeys(profileFromOrder(carrier("0700000002")), obligations, plannedAt)).toEqual(["fcc-499a:2026:2027-04-01"])
  })
})

/**
 * The planner and the ComplianceEntry entity on the in-memory cluster over a
 * real PostgreSQL, at {@link plannedAt}. Each case uses its own carrier.
 */
const TestLayer = OrderedServicesPlanner.layer.pipe(
  Layer.provideMerge(ComplianceProfileStore.layer),
  Layer.provideMerge(ComplianceEntryLive),
  Layer.provide(EntryMessenger.layer),
  Layer.provide(NextPeriod.oneYearLater),
  Layer.provide(EmailTemplates.layer),
  Layer.provideMerge(InMemoryCluster.layer),
  Layer.provideMerge(TestDatabase.layer),
  Layer.provideMerge(VirtualTime.layer(plannedAt))
)

const entryRows = (carrierId: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ key: string; contact_email: string | null }>`
      SELECT key, contact_email FROM compliance_entries WHERE carrier_id = ${carrierId} ORDER BY key
    `).pipe(Effect.orDie)

const profileRows = (carrierId: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ count: number }>`SELECT count(*)::int AS count FROM carrier_compliance_profiles WHERE carrier_id = ${carrierId}`).pipe(
      Effect.map((rows) => rows[0]?.count),
      Effect.orDie
    )

layer(TestLayer)("OrderedServicesPlanner", (it) => {
  it.effect("plans a stored profile", () =>
    Effect.gen(function*() {
      const frn = newFrn()
      yield* (yield* ComplianceProfileStore).put(frn, voipProfile(frn))
      const plan = yield* (yield* OrderedServicesPlanner).planOrder(order(frn, "cpni-certification", "rmd-filing", "calea-ssi"))
      expect(plan.profile).toBe("stored")
      expect(plan.entries.map((entry) => entry.key)).toEqual([
        `${frn}:fcc-cpni-certification:2027`,
        `${frn}:fcc-rmd-recertification:2028`
      ])
      expect(plan.unplanned).toEqual(["fcc-calea-ssi-update"])
    }))

  it.effect("stores the contact e-mail", () =>
    Effect.gen(function*() {
      const frn = newFrn()
      yield* (yield* ComplianceProfileStore).put(frn, voipProfile(frn))
      yield* (yield* OrderedServicesPlanner).planOrder(order(frn, "cpni-certification"))
      expect(yield* entryRows(frn)).toEqual([{ key: `${frn}:fcc-cpni-certification:2027`, contact_email: contactEmail }])
    }))

  it.effect("plans twice without duplicates", () =>
    Effect.gen(function*() {
      const frn = newFrn()
      const planner = yield* OrderedServicesPlanner
      yield* (yield* ComplianceProfileStore).put(frn, voipProfile(frn))
      const first = yield* planner.planOrder(order(frn, "fcc-499a-499q", "cpni-certification"))
      const second = yield* planner.planOrder(order(frn, "fcc-499a-499q", "cpni-certification"))
      expect(second.entries.map((entry) => entry.key)).toEqual(first.entries.map((entry) => entry.key))
      expect((yield* entryRows(frn)).length).toBe(3)
    }))

  it.effect("plans an order without profile", () =>
    Effect.gen(function*() {
      const frn = newFrn()
      const plan = yield* (yield* OrderedServicesPlanner).planOrder(order(frn, "cpni-certification", "fcc-499a"))
      expect(plan.profile).toBe("order")
      // Buying the certification shows the carrier owes it, though the order names no service category.
      expect(plan.entries.map((entry) => entry.key)).toEqual([
        `${frn}:fcc-499a:2026`,
        `${frn}:fcc-cpni-certification:2027`
      ])
      expect(plan.unplanned).toEqual([])
    }))

  it.effect("stores no profile of its own", () =>
    Effect.gen(function*() {
      const frn = newFrn()
      yield* (yield* OrderedServicesPlanner).planOrder(order(frn, "fcc-499a"))
      expect(yield* profileRows(frn)).toBe(0)
    }))

  it.effect("plans nothing for formation", () =>
    Effect.gen(function*() {
      const frn = newFrn()
      const plan = yield* (yield* OrderedServicesPlanner).planOrder(order(frn, "us-state-formation"))
      expect(plan.entries).toEqual([])
      expect(yield* entryRows(frn)).toEqual([])
    }))
})
