/**
 * The operator command that imports FCC data files:
 *
 *     npm run fcc-import -- form499 export.xlsx --as-of 2026-11-30
 *     npm run fcc-import -- rmd published.csv
 *     npm run fcc-import -- cores frn-0012345678.html [more pages] [--frn 0012345678]
 *
 * It writes to DATABASE_URL, or to the embedded PostgreSQL of a running
 * `npm start` (same PW_DATA_DIR), or else starts the embedded server itself.
 * The summary goes to stdout as JSON; a file that cannot be read exits 1
 * and leaves the stored data as it was.
 */
import { NodeRuntime } from "@effect/platform-node"
import * as Database from "@pw/db/Database"
import * as RunningEmbeddedPostgres from "@pw/db/RunningEmbeddedPostgres"
import { Frn } from "@pw/domain/Carrier"
import { LocalDate } from "@pw/domain/compliance/PlannedEntry"
import * as Logging from "@pw/runtime/Logging"
import { Clock, Console, Data, Effect, Layer, Option, ParseResult, Schema } from "effect"
import { join } from "node:path"
import { parseArgs } from "node:util"
import * as FccImport from "./FccImport.ts"
import type { Dataset } from "./ReadResult.ts"

const usage = "usage: npm run fcc-import -- <form499|rmd|cores> FILE... [--as-of YYYY-MM-DD] [--frn FRN]"

/** An invalid command line; `message` names the invalid part and shows the usage. */
class UsageError extends Data.TaggedError("UsageError")<{ readonly message: string }> {}

const datasets: ReadonlyArray<Dataset> = ["form499", "rmd", "cores"]

/** `--as-of`: a `YYYY-MM-DD` date that exists in the calendar. */
const CalendarDay = LocalDate.pipe(
  Schema.filter((date) => new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date || `--as-of ${date} is not a date in the calendar`)
)

/** Reads the data set, files, as-of date and FRN from the command line. */
const parseCommandLine = Effect.gen(function*() {
  const { values, positionals } = yield* Effect.try({
    try: () => parseArgs({ allowPositionals: true, options: { "as-of": { type: "string" }, frn: { type: "string" } } }),
    catch: (error) => new UsageError({ message: `${error instanceof Error ? error.message : String(error)}; ${usage}` })
  })
  const [dataset, ...files] = positionals
  const known = datasets.find((each) => each === dataset)
  if (known === undefined) {
    return yield* new UsageError({ message: `the data set must be form499, rmd or cores (got ${JSON.stringify(dataset ?? "")}); ${usage}` })
  }
  if (files.length === 0) return yield* new UsageError({ message: `name at least one file; ${usage}` })
  const invalid = (error: ParseResult.ParseError) => new UsageError({ message: ParseResult.TreeFormatter.formatErrorSync(error) })
  const asOf = values["as-of"] === undefined
    ? new Date(yield* Clock.currentTimeMillis).toISOString().slice(0, 10)
    : yield* Schema.decodeUnknown(CalendarDay)(values["as-of"]).pipe(Effect.mapError(invalid))
  const frn = values.frn === undefined ? undefined : yield* Schema.decodeUnknown(Frn)(values.frn).pipe(Effect.mapError(invalid))
  return { dataset: known, files, asOf, frn }
})

/** Imports each file in turn and prints the summaries as JSON. */
const importFiles = (command: Effect.Effect.Success<typeof parseCommandLine>) =>
  Effect.gen(function*() {
    const summaries = yield* Effect.forEach(command.files, (file) =>
      command.dataset === "form499"
        ? FccImport.importForm499(file, command.asOf)
        : command.dataset === "rmd"
        ? FccImport.importRmd(file, command.asOf)
        : FccImport.importCoresPage(file, command.asOf, command.frn))
    yield* Console.log(JSON.stringify(summaries, null, 2))
  })

/**
 * DATABASE_URL, migrated; without it the embedded server of a running
 * platform, or else a new embedded server, migrated. A database that cannot
 * be reached ends the command with the reason.
 */
const DatabaseLive = Layer.unwrapEffect(Effect.gen(function*() {
  const { url, dataDirectory } = yield* Database.config
  if (Option.isNone(url)) {
    const running = yield* Effect.option(RunningEmbeddedPostgres.findPostmaster(join(dataDirectory, "postgres")))
    if (Option.isSome(running)) return Layer.orDie(RunningEmbeddedPostgres.attachLayer)
  }
  return Layer.orDie(Database.layer())
}).pipe(Effect.orDie))

parseCommandLine.pipe(
  Effect.flatMap((command) => Effect.provide(importFiles(command), DatabaseLive)),
  Effect.catchTags({
    UsageError: (error) => Effect.zipRight(Console.error(error.message), Effect.sync(() => process.exitCode = 2)),
    FileUnreadable: (error) =>
      Effect.zipRight(
        Console.error(`${error.file}${error.row === undefined ? "" : `, row ${error.row}`}: ${error.message}`),
        Effect.sync(() => process.exitCode = 1)
      )
  }),
  Effect.provide(Logging.layer),
  NodeRuntime.runMain({ disablePrettyLogger: true })
)
