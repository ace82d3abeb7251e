/**
 * CarrierDetailQuery on a real PostgreSQL: one carrier by exact id, and the
 * waivers of its entries read from audit rows.
 */
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import * as TestDatabase from "../../../../test/support/TestDatabase.ts"
import { findCarrier, listWaivers } from "../../src/admin/queries/CarrierDetailQuery.ts"
import { insertCarrier, insertEntry } from "./AdminRows.ts"

const example = "0000000001"
const prefixed = "00000000011"

/** Inserts the audit row of an event on entry `entryKey`. */
const insertAudit = (entryKey: string, event: string, data: Record<string, string>) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql`
      INSERT INTO audit_events (entity_type, entity_id, request_id, event, data)
      VALUES ('ComplianceEntry', ${entryKey}, ${event}, ${event}, ${JSON.stringify(data)}::jsonb)
    `).pipe(Effect.orDie)

const seed = Effect.gen(function*() {
  yield* insertCarrier(example, "Example Telecom LLC")
  yield* insertEntry({ carrierId: example, obligationId: "fcc-499a", period: "2027", dueDate: "2027-04-01", status: "waived" })
  yield* insertEntry({ carrierId: example, obligationId: "fcc-cpni-certification", period: "2026", dueDate: "2027-03-01", status: "upcoming" })
  yield* insertEntry({ carrierId: prefixed, obligationId: "fcc-499a", period: "2027", dueDate: "2027-04-01", status: "waived" })
  yield* insertEntry({ carrierId: "crtc_0001", obligationId: "crtc-annual", period: "2027", dueDate: "2027-06-30", status: "upcoming" })
  yield* insertAudit(`${example}:fcc-499a:2027`, "waived", { reason: "No revenue in 2026", waivedBy: "Rita Reviewer" })
  yield* insertAudit(`${example}:fcc-cpni-certification:2026`, "scheduled", { reason: "not a waiver" })
  yield* insertAudit(`${prefixed}:fcc-499a:2027`, "waived", { reason: "Other carrier", waivedBy: "Ada Admin" })
})

const TestLayer = Layer.effectDiscard(seed).pipe(Layer.provideMerge(TestDatabase.layer))

layer(TestLayer)("CarrierDetailQuery", (it) => {
  it.effect("finds a carrier by FRN", () =>
    Effect.gen(function*() {
      const carrier = Option.getOrUndefined(yield* findCarrier(example))
      expect(carrier?.legalName).toBe("Example Telecom LLC")
      expect(carrier?.openEntries).toBe(1)
      expect(carrier?.nextDueDate).toBe("2027-03-01")
    }))

  it.effect("finds a carrier with only entries", () =>
    Effect.gen(function*() {
      const carrier = Option.getOrUndefined(yield* findCarrier("crtc_0001"))
      expect(carrier?.legalName).toBeUndefined()
      expect(carrier?.openEntries).toBe(1)
    }))

  it.effect("finds a carrier with no entries", () =>
    Effect.gen(function*() {
      yield* insertCarrier("0000000009", "Quiet Carrier Inc")
      const carrier = Option.getOrUndefined(yield* findCarrier("0000000009"))
      expect(carrier?.openEntries).toBe(0)
      expect(carrier?.nextDueDate).toBeUndefined()
    }))

  it.effect("unknown carrier is none", () =>
    Effect.gen(function*() {
      expect(Option.isNone(yield* findCarrier("0000000404"))).toBe(true)
    }))

  it.effect("lists only the carrier's waivers", () =>
    Effect.gen(function*() {
      const waivers = yield* listWaivers(example)
      expect(waivers.map((waiver) => waiver.entryKey)).toEqual([`${example}:fcc-499a:2027`])
      expect(waivers[0]?.reason).toBe("No revenue in 2026")
      expect(waivers[0]?.waivedBy).toBe("Rita Reviewer")
    }))

  it.effect("carrier without waivers lists none", () =>
    Effect.gen(function*() {
      expect(yield* listWaivers("crtc_0001")).toEqual([])
    }))
})
