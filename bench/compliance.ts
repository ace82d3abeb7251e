/**
 * Benchmark of the compliance calendar on the real stack: 1,000 fictional
 * carriers (about 20,000 entries for 2027) through `generateCalendar`, the
 * ComplianceEntry entity on the single-process cluster and embedded
 * PostgreSQL, and a simulated year of timers and completions. The baseline
 * is plain multi-row INSERTs of the same rows into a copy of the entries
 * table. Exits with status 1 when a target below is missed.
 *
 *     node --import tsx bench/compliance.ts [--carriers N]
 *
 * The database lives in a temporary directory removed at the end.
 */
import { SqlClient } from "@effect/sql"
import { ComplianceEntry, ScheduleEntry } from "@pw/compliance-entry/ComplianceEntry"
import * as ComplianceEntryLive from "@pw/compliance-entry/ComplianceEntryLive"
import * as Database from "@pw/db/Database"
import { generateCalendar } from "@pw/domain/compliance/ComplianceCalendar"
import { EmailTemplates } from "@pw/mail/EmailTemplates"
import * as SingleProcessCluster from "@pw/runtime/SingleProcessCluster"
import { Chunk, ConfigProvider, DateTime, Effect, Layer, Logger, LogLevel } from "effect"
import { chmod, mkdtemp, rm } from "node:fs/promises"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Phase from "./compliance/Phase.ts"
import { carrierIdOf, contactEmailOf, profileOf } from "./compliance/Profiles.ts"
import { type BenchEntry, halfMonthSteps, run as runYear } from "./compliance/SimulatedYear.ts"
import * as ShiftedClock from "./compliance/ShiftedClock.ts"

/**
 * Maximum time per scheduled entry, in multiples of the time per plain INSERT row. A Schedule
 * commits about 4 times (request, entity rows, reply, 2 timers) where a row is 1/1000 of a statement.
 * At the 27,000 rows/s measured here, 200x still schedules a year's 20,000 entries in 2.5 minutes.
 */
const maxScheduleRatio = 200

/** Maximum time per message of the simulated year, in multiples of the time per plain INSERT row, as for scheduling. */
const maxYearRatio = 200

/** Maximum peak RSS of this process (PostgreSQL not counted) in any phase: a 2 GiB container with room for the rest. */
const maxPeakRssBytes = 1.5 * 2 ** 30

/** Calendar year of the entries. */
const calendarYear = 2027

/** The clock starts here, before the first timer of the year's entries. */
const startAt = DateTime.unsafeMake("2026-11-01T00:00:00Z")

/** Rows per INSERT statement in the baseline. */
const insertBatch = 1_000

/** Schedule messages sent at once. */
const scheduleConcurrency = 64

const defaultCarriers = 1_000

/** Reads `--carriers N` from the command line; the default is {@link defaultCarriers}. */
const carriersFromArguments = (argv: ReadonlyArray<string>): number => {
  const index = argv.indexOf("--carriers")
  if (index === -1) return defaultCarriers
  const value = Number(argv[index + 1])
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--carriers needs a positive whole number, such as --carriers 100 (got ${JSON.stringify(argv[index + 1])})`)
  }
  return value
}

/** A temporary directory that the `postgres` user can enter, removed with the scope. */
const temporaryDirectory = Effect.acquireRelease(
  Effect.promise(async () => {
    const directory = await mkdtemp(Path.join(Os.tmpdir(), "pw-bench-compliance-"))
    await chmod(directory, 0o755)
    return directory
  }),
  (directory) => Effect.promise(() => rm(directory, { recursive: true, force: true }))
)

const stackLayer = (directory: string) =>
  ComplianceEntryLive.layer.pipe(
    Layer.provideMerge(EmailTemplates.layer),
    Layer.provideMerge(SingleProcessCluster.layer()),
    Layer.provideMerge(
      Database.layer().pipe(
        Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["PW_DATA_DIR", directory]]))))
      )
    )
  )

/** Generates every carrier's calendar for {@link calendarYear}. */
const generateCalendars = (carriers: number) =>
  Effect.sync(() => {
    const entries: Array<BenchEntry> = []
    for (let index = 0; index < carriers; index++) {
      const carrierId = carrierIdOf(index)
      for (const entry of generateCalendar(profileOf(index), calendarYear)) {
        entries.push({ key: entry.entryKey(carrierId), carrierId, contactEmail: contactEmailOf(index), entry })
      }
    }
    return { messages: entries.length, value: entries }
  })

/** The baseline: the same rows as the entity stores them, in multi-row INSERTs into a copy of its table. */
const insertPlainRows = (entries: ReadonlyArray<BenchEntry>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TABLE bench_plain_entries (LIKE compliance_entries INCLUDING ALL)`
    const rows = entries.map(({ key, carrierId, contactEmail, entry }) => ({
      key,
      carrier_id: carrierId,
      obligation_id: entry.obligationId,
      period: entry.period,
      title: entry.title,
      jurisdiction: entry.jurisdiction,
      due_date: entry.dueDate,
      nominal_due_date: entry.nominalDueDate,
      time_zone: entry.timeZone,
      source: JSON.stringify(entry.source),
      explanation: entry.explanation,
      billable_amount: entry.billableAmount ?? null,
      status: "upcoming",
      contact_email: contactEmail
    }))
    for (const batch of Chunk.chunksOf(Chunk.fromIterable(rows), insertBatch)) {
      yield* sql`INSERT INTO bench_plain_entries ${sql.insert(Chunk.toArray(batch))}`
    }
    return { messages: rows.length, value: undefined }
  })

/** Schedules every entry through the ComplianceEntry entity and waits for each reply. */
const scheduleEntries = (entries: ReadonlyArray<BenchEntry>) =>
  Effect.gen(function* () {
    const makeEntry = yield* ComplianceEntry.client
    yield* Effect.forEach(entries, ({ key, carrierId, contactEmail, entry }) =>
      makeEntry(key).Schedule(new ScheduleEntry({ entry, carrierId, contactEmail })), {
      concurrency: scheduleConcurrency,
      discard: true
    })
    return { messages: entries.length, value: undefined }
  })

const program = (carriers: number) =>
  Effect.gen(function* () {
    const directory = yield* temporaryDirectory
    const clock = yield* ShiftedClock.make(DateTime.toEpochMillis(startAt))
    return yield* Effect.gen(function* () {
      console.log(`${carriers} carriers, calendar year ${calendarYear}, on ${Os.cpus().length} CPUs (${Os.cpus()[0]?.model ?? "unknown"})`)
      const calendars = yield* Phase.measure("a. generate calendars", generateCalendars(carriers))
      const entries = calendars.value
      console.log(Phase.describe(calendars.result, "entries"))

      const startedAt = performance.now()
      const context = yield* Layer.build(stackLayer(directory))
      console.log(`database and cluster start (not counted): ${((performance.now() - startedAt) / 1000).toFixed(1)} s`)

      const baseline = yield* Phase.measure("baseline: multi-row INSERT", insertPlainRows(entries)).pipe(Effect.provide(context))
      console.log(Phase.describe(baseline.result, "rows"))

      const schedule = yield* Phase.measure("b. schedule through the entity", scheduleEntries(entries)).pipe(Effect.provide(context))
      console.log(Phase.describe(schedule.result, "entries", baseline.result))

      const steps = halfMonthSteps(DateTime.unsafeMake("2026-12-01T00:00:00Z"), DateTime.unsafeMake(`${calendarYear + 1}-01-01T00:00:00Z`))
      const year = yield* Phase.measure("c. simulated year (timers, payments)", runYear(entries, clock, steps)).pipe(Effect.provide(context))
      console.log(Phase.describe(year.result, "messages", baseline.result))
      console.log(`   ${year.value.completed} entries completed, ${year.value.uncompleted} left to go overdue, in ${steps.length} half-month steps`)

      return [calendars.result, baseline.result, schedule.result, year.result] as const
    }).pipe(Effect.withClock(clock.clock))
  })

const perMessage = (result: Phase.PhaseResult) => result.millis / result.messages

const carriers = carriersFromArguments(process.argv.slice(2))
const [calendars, baseline, schedule, year] = await Effect.runPromise(
  program(carriers).pipe(Effect.scoped, Logger.withMinimumLogLevel(LogLevel.Warning))
)
const scheduleRatio = perMessage(schedule) / perMessage(baseline)
const yearRatio = perMessage(year) / perMessage(baseline)
const peakRss = Math.max(calendars.peakRssBytes, baseline.peakRssBytes, schedule.peakRssBytes, year.peakRssBytes)
const misses = [
  scheduleRatio > maxScheduleRatio ? `scheduling took ${scheduleRatio.toFixed(1)}x as long per entry as a plain INSERT row, above ${maxScheduleRatio}x` : "",
  yearRatio > maxYearRatio ? `the simulated year took ${yearRatio.toFixed(1)}x as long per message as a plain INSERT row, above ${maxYearRatio}x` : "",
  peakRss > maxPeakRssBytes ? `peak RSS was ${(peakRss / 2 ** 20).toFixed(0)} MiB, above ${(maxPeakRssBytes / 2 ** 20).toFixed(0)} MiB` : ""
].filter((miss) => miss !== "")
console.log(`targets: scheduling <= ${maxScheduleRatio}x, year <= ${maxYearRatio}x per message, peak RSS <= ${(maxPeakRssBytes / 2 ** 20).toFixed(0)} MiB`)
for (const miss of misses) console.error(`Target missed: ${miss}.`)
if (misses.length > 0) process.exitCode = 1
