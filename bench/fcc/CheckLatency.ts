/**
 * Latency of the compliance check against a plain indexed SELECT of the same
 * Form 499 rows, timed one call at a time over the same FRN sequence.
 */
import { SqlClient } from "@effect/sql"
import type { Frn } from "@pw/domain/Carrier"
import { FccComplianceCheck } from "@pw/fcc-check/FccComplianceCheck"
import { FccDataStore } from "@pw/fcc-data/FccDataStore"
import { Effect } from "effect"
import { type LatencySummary, summarize } from "./Percentiles.ts"

/** Timings after the warm-up, and how many results disagreed with the loaded data. */
export interface CheckLatency {
  readonly check: LatencySummary
  /** `FccDataStore.recordsOf` alone: the check's one query and its decoding, without the findings and the quote. */
  readonly records: LatencySummary
  readonly select: LatencySummary
  /** Timed FRNs that are not in the loaded data. */
  readonly missing: number
  /** Calls whose result did not match the data: a loaded FRN without its filer, or an unknown FRN with one. */
  readonly mismatches: number
}

/** Times `lookup` on each FRN in turn, each call awaited before the next starts, and counts the results that contradict `loaded`. */
const timeEach = <E, R>(
  frns: ReadonlyArray<Frn>,
  loaded: ReadonlySet<string>,
  lookup: (frn: Frn) => Effect.Effect<boolean, E, R>
) =>
  Effect.gen(function* () {
    const millis: Array<number> = []
    let mismatches = 0
    for (const frn of frns) {
      const start = performance.now()
      const found = yield* lookup(frn)
      millis.push(performance.now() - start)
      if (found !== loaded.has(frn)) mismatches += 1
    }
    return { millis, mismatches }
  })

/**
 * Runs `FccComplianceCheck.check`, `FccDataStore.recordsOf` and `SELECT *
 * FROM form499_filers WHERE frn = $1` on each FRN of `sequence`, one call at a
 * time. The first `warmUp` FRNs go through all three untimed. The rest are
 * timed in one pass per lookup, so that the garbage the checks leave does
 * not collect during the SELECTs and inflate the baseline's p99.
 */
export const measureCheckLatency = Effect.fn("FccBench.measureCheckLatency")(function*(
  sequence: ReadonlyArray<Frn>,
  warmUp: number,
  loaded: ReadonlySet<string>
) {
  const checker = yield* FccComplianceCheck
  const store = yield* FccDataStore
  const sql = yield* SqlClient.SqlClient
  const records = (frn: Frn) => Effect.map(store.recordsOf(frn), (found) => found.filers.length > 0)
  const check = (frn: Frn) => Effect.map(checker.check(frn), (report) => report.carrier.filer499Id !== undefined)
  const select = (frn: Frn) => Effect.map(sql`SELECT * FROM form499_filers WHERE frn = ${frn}`, (rows) => rows.length > 0)

  const warmUpFrns = sequence.slice(0, warmUp)
  const timedFrns = sequence.slice(warmUp)
  const warmUpChecks = yield* timeEach(warmUpFrns, loaded, check)
  const warmUpRecords = yield* timeEach(warmUpFrns, loaded, records)
  const warmUpSelects = yield* timeEach(warmUpFrns, loaded, select)
  const checks = yield* timeEach(timedFrns, loaded, check)
  const recordReads = yield* timeEach(timedFrns, loaded, records)
  const selects = yield* timeEach(timedFrns, loaded, select)

  return {
    check: summarize(checks.millis),
    records: summarize(recordReads.millis),
    select: summarize(selects.millis),
    missing: timedFrns.filter((frn) => !loaded.has(frn)).length,
    mismatches: [warmUpChecks, warmUpRecords, warmUpSelects, checks, recordReads, selects].reduce((sum, pass) => sum + pass.mismatches, 0)
  } satisfies CheckLatency
})
