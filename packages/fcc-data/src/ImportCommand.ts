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
import { Clock, Console, Effect, Layer, Schema } from "effect"
import { parseArgs } from "node:util"
import * as FccImport from "./FccImport.ts"
import { Dataset } from "./ReadResult.ts"

const usage = "usage: npm run fcc-import -- <form499|rmd|cores> FILE... [--as-of YYYY-MM-DD] [--frn FRN]"

const Arguments = Schema.Struct({
  dataset: Dataset.annotations({ message: (issue) => `the data set must be form499, rmd or cores (got ${JSON.stringify(issue.actual)}); ${usage}` }),
  files: Schema.NonEmptyArray(Schema.String).annotations({ message: () => `name at least one file; ${usage}` }),
  asOf: Schema.optional(LocalDate),
  frn: Schema.optional(Frn)
})

const program = Effect.gen(function*() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { "as-of": { type: "string" }, frn: { type: "string" } }
  })
  const [dataset, ...files] = positionals
  const parsed = yield* Schema.decodeUnknown(Arguments)({ dataset, files, asOf: values["as-of"], frn: values.frn }, { errors: "first" })
  const asOf = parsed.asOf ?? new Date(yield* Clock.currentTimeMillis).toISOString().slice(0, 10)
  const summaries = yield* Effect.forEach(parsed.files, (file) =>
    parsed.dataset === "form499"
      ? FccImport.importForm499(file, asOf)
      : parsed.dataset === "rmd"
      ? FccImport.importRmd(file, asOf)
      : FccImport.importCoresPage(file, asOf, parsed.frn))
  yield* Console.log(JSON.stringify(summaries, null, 2))
})

/** DATABASE_URL or a running embedded server; otherwise a new embedded server, migrated. */
const DatabaseLive = RunningEmbeddedPostgres.attachLayer.pipe(Layer.orElse(() => Database.layer()))

program.pipe(
  Effect.catchTags({
    ParseError: (error) => Effect.zipRight(Console.error(error.message), Effect.sync(() => process.exitCode = 2)),
    FileUnreadable: (error) =>
      Effect.zipRight(
        Console.error(`${error.file}${error.row === undefined ? "" : `, row ${error.row}`}: ${error.message}`),
        Effect.sync(() => process.exitCode = 1)
      )
  }),
  Effect.provide(DatabaseLive),
  Effect.provide(Logging.layer),
  NodeRuntime.runMain({ disablePrettyLogger: true })
)
