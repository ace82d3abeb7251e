/**
 * The operator command that imports FCC data files:
 *
 *     npm run fcc-import -- form499 export.xlsx --as-of 2026-11-30
 *     npm run fcc-import -- rmd published.csv
 *     npm run fcc-import -- cores frn-0012345678.html [more pages] [--frn 0012345678]
 *
 * It writes to DATABASE_URL, or to the embedded PostgreSQL of a running
 * `npm start` (same PW_DATA_DIR), or else starts the embedded server itself.
 * The summaries go to stdout as JSON. Each file is imported on its own: an
 * unreadable file is reported on stderr, leaves its data set as it was, and
 * makes the command exit 1. Without --as-of the date is today's (UTC).
 */
import { NodeRuntime } from "@effect/platform-node"
import * as Database from "@pw/db/Database"
import * as RunningEmbeddedPostgres from "@pw/db/RunningEmbeddedPostgres"
import { Frn } from "@pw/domain/Carrier"
import { LocalDate } from "@pw/domain/compliance/PlannedEntry"
import * as Logging from "@pw/runtime/Logging"
import { Clock, Console, Data, Effect, Either, Layer, Option, ParseResult, Schema } from "effect"
import { join } from "node:path"
import { parseArgs } from "node:util"
import * as FccImport from "./FccImport.ts"
import type { Dataset, FileUnreadable } from "./ReadResult.ts"

const usage = "usage: npm run fcc-import -- <form499|rmd|cores> FILE... [--as-of YYYY-MM-DD] [--frn FRN]"

/** An invalid command line; `message` names the invalid part and shows the usage. */
class UsageError extends Data.TaggedError("UsageError")<{ readonly message: string }> {}

const datasets: ReadonlyArray<Dataset> = ["form499", "rmd", "cores"]

/** `--as-of`: a `YYYY-MM-DD` date that exists in the calendar. */
const CalendarDay = LocalDate.pipe(
  Schema.filter((date) => new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date || `${date} is not a date in the calendar`)
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
  const invalid = (option: string) => (error: ParseResult.ParseError) =>
    new UsageError({ message: `${option}: ${ParseResult.ArrayFormatter.formatErrorSync(error)[0]?.message ?? "invalid value"}; ${usage}` })
  const asOf = values["as-of"] === undefined
    ? new Date(yield* Clock.currentTimeMillis).toISOString().slice(0, 10)
    : yield* Schema.decodeUnknown(CalendarDay)(values["as-of"]).pipe(Effect.mapError(invalid("--as-of")))
  const frn = values.frn === undefined ? undefined : yield* Schema.decodeUnknown(Frn)(values.frn).pipe(Effect.mapError(invalid("--frn")))
  return { dataset: known, files, asOf, frn }
})

/** Formats the line printed for a file that could not be imported: its path, the row when known, and why. */
const unreadableLine = (error: FileUnreadable): string => {
  const row = error.row === undefined ? "" : `row ${error.row}`
  if (error.message.startsWith(error.file)) return row === "" ? error.message : `${error.message} (${row})`
  return `${error.file}${row === "" ? "" : `, ${row}`}: ${error.message}`
}

/**
 * Imports each file on its own, so one unreadable file leaves the others
 * imported. Prints the summaries of the imported files as JSON, and each
 * unreadable file on stderr; exits 1 when any file was unreadable.
 */
const importFiles = (command: Effect.Effect.Success<typeof parseCommandLine>) =>
  Effect.gen(function*() {
    const results = yield* Effect.forEach(command.files, (file) =>
      (command.dataset === "form499"
        ? FccImport.importForm499(file, command.asOf)
        : command.dataset === "rmd"
        ? FccImport.importRmd(file, command.asOf)
        : FccImport.importCoresPage(file, command.asOf, command.frn)
      ).pipe(Effect.catchTag("SqlError", Effect.die), Effect.either))
    const imported = results.flatMap((result) => (Either.isRight(result) ? [result.right] : []))
    const unreadable = results.flatMap((result) => (Either.isLeft(result) ? [result.left] : []))
    yield* Console.log(JSON.stringify(imported, null, 2))
    for (const error of unreadable) yield* Console.error(unreadableLine(error))
    if (unreadable.length > 0) process.exitCode = 1
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
    UsageError: (error) => Effect.zipRight(Console.error(error.message), Effect.sync(() => process.exitCode = 2))
  }),
  Effect.provide(Logging.layer),
  NodeRuntime.runMain({ disablePrettyLogger: true })
)
