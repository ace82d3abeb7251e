/**
 * CarriersQuery on a real PostgreSQL: the carrier list with search, and one
 * carrier's entries as a list and per month.
 */
import { expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as TestDatabase from "../../../../test/support/TestDatabase.ts"
import { entriesInMonth, listCarriers, listEntries } from "../../src/admin/queries/CarriersQuery.ts"
import { insertCarrier, insertEntry } from "./AdminRows.ts"

const example = "0000000001"
const sample = "0000000002"

const seed = Effect.gen(function*() {
  yield* insertCarrier(example, "Example Telecom LLC")
  yield* insertCarrier(sample, "Sample Wireless 100% Inc")
  yield* insertEntry({ carrierId: example, obligationId: "fcc-cpni-certification", period: "2026", dueDate: "2027-03-01", status: "upcoming", billableAmount: 14_900 })
  yield* insertEntry({ carrierId: example, obligationId: "fcc-499a", period: "2027", dueDate: "2027-04-01", status: "due_soon" })
  yield* insertEntry({ carrierId: example, obligationId: "fcc-rmd-recertification", period: "2027", dueDate: "2027-03-01", status: "completed" })
  yield* insertEntry({ carrierId: example, obligationId: "fcc-bdc", period: "2027-h2", dueDate: "2027-12-31", status: "upcoming" })
  yield* insertEntry({ carrierId: example, obligationId: "fcc-499q", period: "2028-q1", dueDate: "2028-01-01", status: "upcoming" })
  yield* insertEntry({ carrierId: "crtc_0001", obligationId: "crtc-annual", period: "2027", dueDate: "2027-06-30", status: "upcoming" })
})

const TestLayer = Layer.effectDiscard(seed).pipe(Layer.provideMerge(TestDatabase.layer))

layer(TestLayer)("CarriersQuery", (it) => {
  it.effect("lists carriers by name", () =>
    Effect.gen(function*() {
      const carriers = yield* listCarriers()
      expect(carriers.map((carrier) => carrier.carrierId)).toEqual([example, sample, "crtc_0001"])
    }))

  it.effect("summarises open entries", () =>
    Effect.gen(function*() {
      const [first, second, third] = yield* listCarriers()
      expect(first?.openEntries).toBe(4)
      expect(first?.nextDueDate).toBe("2027-03-01")
      expect(second?.openEntries).toBe(0)
      expect(second?.nextDueDate).toBeUndefined()
      expect(third?.legalName).toBeUndefined()
      expect(third?.openEntries).toBe(1)
    }))

  it.effect("search matches name case-insensitively", () =>
    Effect.gen(function*() {
      const found = yield* listCarriers({ search: " wireless " })
      expect(found.map((carrier) => carrier.carrierId)).toEqual([sample])
    }))

  it.effect("search matches FRN prefix", () =>
    Effect.gen(function*() {
      const found = yield* listCarriers({ search: "000000000" })
      expect(found.map((carrier) => carrier.carrierId)).toEqual([example, sample])
    }))

  it.effect("search treats % literally", () =>
    Effect.gen(function*() {
      const found = yield* listCarriers({ search: "100%" })
      expect(found.map((carrier) => carrier.carrierId)).toEqual([sample])
      expect(yield* listCarriers({ search: "%" })).toHaveLength(1)
    }))

  it.effect("limit caps the list", () =>
    Effect.gen(function*() {
      expect(yield* listCarriers({ limit: 2 })).toHaveLength(2)
    }))

  it.effect("entries list earliest first", () =>
    Effect.gen(function*() {
      const entries = yield* listEntries(example)
      expect(entries.map((entry) => entry.key)).toEqual([
        `${example}:fcc-cpni-certification:2026`,
        `${example}:fcc-rmd-recertification:2027`,
        `${example}:fcc-499a:2027`,
        `${example}:fcc-bdc:2027-h2`,
        `${example}:fcc-499q:2028-q1`
      ])
    }))

  it.effect("entry carries its fields", () =>
    Effect.gen(function*() {
      const [cpni, rmd] = yield* listEntries(example)
      expect(cpni?.title).toBe("Title of fcc-cpni-certification")
      expect(cpni?.dueDate).toBe("2027-03-01")
      expect(cpni?.status).toBe("upcoming")
      expect(cpni?.billableAmount).toBe(14_900)
      expect(rmd?.billableAmount).toBeUndefined()
    }))

  it.effect("month keeps its entries", () =>
    Effect.gen(function*() {
      const march = yield* entriesInMonth(example, "2027-03")
      expect(march.map((entry) => entry.key)).toEqual([
        `${example}:fcc-cpni-certification:2026`,
        `${example}:fcc-rmd-recertification:2027`
      ])
    }))

  it.effect("December ends at the year", () =>
    Effect.gen(function*() {
      const december = yield* entriesInMonth(example, "2027-12")
      expect(december.map((entry) => entry.key)).toEqual([`${example}:fcc-bdc:2027-h2`])
    }))

  it.effect("invalid month fails", () =>
    Effect.gen(function*() {
      for (const month of ["2027-13", "2027-3", "March", ""]) {
        const error = yield* Effect.flip(entriesInMonth(example, month))
        expect(error._tag).toBe("InvalidMonth")
      }
    }))
})
