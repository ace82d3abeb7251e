/**
 * Benchmark of the Form 499 import and the FCC compliance check on embedded
 * PostgreSQL. It writes a generated Form 499 Filer Database export, times the
 * bare parse, the import and a re-import, then times the check of one FRN
 * against a plain indexed SELECT of the same rows. Exits with status 1 when a
 * target below is missed. Run by hand, never in CI:
 *
 *     node --import tsx bench/fcc.ts [--rows N]
 *
 * The workbook and the database live in a temporary directory removed at the end.
 */
import { SqlClient } from "@effect/sql"
import * as Database from "@pw/db/Database"
import { Frn } from "@pw/domain/Carrier"
import * as FccComplianceCheckLive from "@pw/fcc-check/FccComplianceCheckLive"
import { FccDataStore } from "@pw/fcc-data/FccDataStore"
import * as FccImport from "@pw/fcc-data/FccImport"
import { ConfigProvider, Effect, Layer, Logger, LogLevel, Schema } from "effect"
import { chmod, mkdtemp, rm, stat } from "node:fs/promises"
import * as Os from "node:os"
import * as Path from "node:path"
import { writeForm499Workbook } from "../packages/fcc-data/test/support/Form499Workbook.ts"
import * as Phase from "./compliance/Phase.ts"
import { measureCheckLatency } from "./fcc/CheckLatency.ts"
import { drawFrnSequence } from "./fcc/FrnSequence.ts"
import { countRows } from "./fcc/ParseRate.ts"

/**
 * Minimum import rate as a fraction of the bare parse rate. Parsing the XLSX is
 * work the import cannot avoid, so the database's share (batched INSERTs in one
 * transaction) should at most quadruple it.
 */
const minImportToParseRatio = 0.25

/**
 * Maximum p99 of the check in multiples of the plain SELECT's p99. The check
 * runs one query that joins six tables into JSON, decodes it with Schema,
 * builds seven findings and prices a quote. 40x leaves room for that work but
 * catches a missing index or a per-row query.
 */
const maxCheckToSelectP99Ratio = 40

/** Maximum peak RSS of this process (PostgreSQL not counted) during a timed stage: well inside a 2 GiB container. */
const maxPeakRssBytes = 2 ** 30

/** Data rows of the generated export unless `--rows` sets another number, about the size of the FCC's own file. */
const defaultRows = 20_000

/** FRNs timed in the check stage, after {@link warmUpLookups} untimed ones. */
const timedLookups = 10_000

/** Lookups run first and not timed, so that the JIT, the pool and the buffer cache are warm. */
const warmUpLookups = 500

/** Share of the FRN sequence that is not in the loaded data, like a lookup of a carrier that has never filed. */
const missingShare = 0.1

/** Seeds of the generated workbook and of the FRN sequence, fixed so that runs are comparable. */
const workbookSeed = 499
const sequenceSeed = 2027

/** As-of dates of the import and of the re-import that replaces it. */
const firstAsOf = "2026-11-01"
const secondAsOf = "2026-12-01"

/** Reads `--rows N` from the command line; the default is {@link defaultRows}. */
const rowsFromArguments = (argv: ReadonlyArray<string>): number => {
  const index = argv.indexOf("--rows")
  if (index === -1) return defaultRows
  const value = Number(argv[index + 1])
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--rows needs a positive whole number, such as --rows 2000 (got ${JSON.stringify(argv[index + 1])})`)
  }
  return value
}

/** A temporary directory that the `postgres` user can enter, removed with the scope. */
const temporaryDirectory = Effect.acquireRelease(
  Effect.promise(async () => {
    const directory = await mkdtemp(Path.join(Os.tmpdir(), "pw-bench-fcc-"))
    await chmod(directory, 0o755)
    return directory
  }),
  (directory) => Effect.promise(() => rm(directory, { recursive: true, force: true }))
)

const stackLayer = (directory: string) =>
  Layer.mergeAll(FccComplianceCheckLive.layer, FccDataStore.layer).pipe(
    Layer.provideMerge(
      Database.layer().pipe(
        Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["PW_DATA_DIR", directory]]))))
      )
    )
  )

const importStage = (file: string, asOf: string) =>
  Effect.map(FccImport.importForm499(file, asOf), (summary) => ({ messages: summary.records, value: summary }))

/** The distinct FRNs of the stored Form 499 filers. */
const loadedFrns = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ frn: string }>`SELECT DISTINCT frn FROM form499_filers`
  return yield* Schema.decodeUnknown(Schema.Array(Frn))(rows.map((row) => row.frn))
})

const seconds = (millis: number) => `${(millis / 1000).toFixed(2)} s`
const mebibytes = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`
const milliseconds = (millis: number) => `${millis.toFixed(2)} ms`
const ratePerSecond = (result: Phase.PhaseResult) => result.messages / (result.millis / 1000)
const memory = (result: Phase.PhaseResult) => `${mebibytes(result.peakRssBytes)} (${mebibytes(result.peakHeapBytes)})`

const program = (rows: number) =>
  Effect.gen(function* () {
    const directory = yield* temporaryDirectory
    const file = Path.join(directory, "form499-filers.xlsx")
    console.log(`${rows} Form 499 rows on ${Os.cpus().length} CPUs (${Os.cpus()[0]?.model ?? "unknown"}), Node.js ${process.version}`)

    const writeStart = performance.now()
    yield* writeForm499Workbook(file, { rows, seed: workbookSeed })
    const fileBytes = (yield* Effect.promise(() => stat(file))).size
    console.log(`workbook written (not counted): ${((performance.now() - writeStart) / 1000).toFixed(1)} s, ${(fileBytes / 2 ** 20).toFixed(1)} MiB`)

    console.log(`RSS before the timed stages: ${mebibytes(process.memoryUsage().rss)}`)
    const parseStage = Effect.map(countRows(file), (count) => ({ messages: count.records, value: count }))
    const firstParse = yield* Phase.measure("bare parse, run 1", parseStage)
    const secondParse = yield* Phase.measure("bare parse, run 2", parseStage)

    const databaseStart = performance.now()
    const context = yield* Layer.build(stackLayer(directory))
    console.log(`database start (not counted): ${((performance.now() - databaseStart) / 1000).toFixed(1)} s`)

    const imported = yield* Phase.measure(`import as of ${firstAsOf}`, importStage(file, firstAsOf)).pipe(Effect.provide(context))
    const reimported = yield* Phase.measure(`re-import as of ${secondAsOf}`, importStage(file, secondAsOf)).pipe(Effect.provide(context))

    const loaded = yield* loadedFrns.pipe(Effect.provide(context))
    const sequence = drawFrnSequence({ loaded, length: warmUpLookups + timedLookups, missingShare, seed: sequenceSeed })
    const latency = yield* Phase.measure(
      "check, its query, plain SELECT",
      Effect.map(measureCheckLatency(sequence, warmUpLookups, new Set<string>(loaded)), (value) => ({ messages: timedLookups, value }))
    ).pipe(Effect.provide(context))

    return { parses: [firstParse, secondParse], imported, reimported, latency, loadedFrns: loaded.length }
  })

const rows = rowsFromArguments(process.argv.slice(2))
const outcome = await Effect.runPromise(program(rows).pipe(Effect.scoped, Logger.withMinimumLogLevel(LogLevel.Warning)))
const parse = outcome.parses.reduce((best, each) => (each.result.millis < best.result.millis ? each : best))
const parseRate = ratePerSecond(parse.result)
const importRatio = ratePerSecond(outcome.imported.result) / parseRate
const reimportRatio = ratePerSecond(outcome.reimported.result) / parseRate
const { check, records, select, missing, mismatches } = outcome.latency.value
const checkP99Ratio = check.p99 / select.p99

const rateRow = (result: Phase.PhaseResult, note: string) =>
  `${result.label.padEnd(26)} ${seconds(result.millis).padStart(14)}  ${`${Math.round(ratePerSecond(result))} rows/s`.padStart(15)}  ${note.padEnd(22)} ${memory(result).padStart(17)}`
const latencyRow = (label: string, summary: { p50: number; p99: number }, note: string, phase?: Phase.PhaseResult) =>
  `${label.padEnd(26)} ${`p50 ${milliseconds(summary.p50)}`.padStart(14)}  ${`p99 ${milliseconds(summary.p99)}`.padStart(15)}  ${note.padEnd(22)} ${phase === undefined ? "" : memory(phase).padStart(17)}`

console.log("")
console.log(`${"stage".padEnd(26)} ${"time / p50".padStart(14)}  ${"rate / p99".padStart(15)}  ${"ratio".padEnd(22)} ${"peak RSS (heap)".padStart(17)}`)
for (const each of outcome.parses) console.log(rateRow(each.result, each === parse ? "kept (faster)" : ""))
console.log(rateRow(outcome.imported.result, `${importRatio.toFixed(2)}x parse`))
console.log(rateRow(outcome.reimported.result, `${reimportRatio.toFixed(2)}x parse`))
console.log(latencyRow("check", check, `p50 ${(check.p50 / select.p50).toFixed(1)}x, p99 ${checkP99Ratio.toFixed(1)}x`, outcome.latency.result))
console.log(latencyRow("check's query (recordsOf)", records, `p50 ${(records.p50 / select.p50).toFixed(1)}x, p99 ${(records.p99 / select.p99).toFixed(1)}x`))
console.log(latencyRow("plain SELECT", select, "baseline"))
console.log(`${check.samples} timed lookups after ${warmUpLookups} untimed, ${missing} of them FRNs not in the data, ${outcome.loadedFrns} distinct FRNs loaded`)
console.log(`peak RSS of the whole process, workbook writing included: ${mebibytes(process.resourceUsage().maxRSS * 1024)}`)

const peakRss = Math.max(
  ...outcome.parses.map((each) => each.result.peakRssBytes),
  outcome.imported.result.peakRssBytes,
  outcome.reimported.result.peakRssBytes,
  outcome.latency.result.peakRssBytes
)
const misses = [
  parse.result.messages !== rows ? `the parse read ${parse.result.messages} records from ${rows} generated rows` : "",
  outcome.imported.result.messages !== rows ? `the import stored ${outcome.imported.result.messages} records from ${rows} generated rows` : "",
  outcome.reimported.result.messages !== rows ? `the re-import stored ${outcome.reimported.result.messages} records from ${rows} generated rows` : "",
  mismatches > 0 ? `${mismatches} lookups disagreed with the loaded data (a loaded FRN without its filer, or an unknown FRN with one)` : "",
  importRatio < minImportToParseRatio ? `the import ran at ${importRatio.toFixed(2)}x the bare parse rate, below ${minImportToParseRatio}x` : "",
  checkP99Ratio > maxCheckToSelectP99Ratio ? `the check's p99 was ${checkP99Ratio.toFixed(1)}x the plain SELECT's p99, above ${maxCheckToSelectP99Ratio}x` : "",
  peakRss > maxPeakRssBytes ? `peak RSS was ${mebibytes(peakRss)}, above ${mebibytes(maxPeakRssBytes)}` : ""
].filter((miss) => miss !== "")
console.log(`targets: import >= ${minImportToParseRatio}x the parse rate, check p99 <= ${maxCheckToSelectP99Ratio}x the SELECT's p99, peak RSS <= ${mebibytes(maxPeakRssBytes)}`)
for (const miss of misses) console.error(`Target missed: ${miss}.`)
if (misses.length > 0) process.exitCode = 1
