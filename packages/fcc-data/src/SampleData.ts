/**
 * The bundled sample data (`packages/fcc-data/samples`): loaded on the
 * embedded platform's start while no FCC data has ever been imported, so
 * that the compliance check has data on a fresh machine.
 */
import { createRequire } from "node:module"
import { SqlClient } from "@effect/sql"
import { Config, Effect, Layer } from "effect"
import { readdir } from "node:fs/promises"
import { dirname, join } from "node:path"
import * as FccImport from "./FccImport.ts"

/** Folder of the bundled samples. */
export const samplesDirectory = join(dirname(createRequire(import.meta.url).resolve("@pw/fcc-data/package.json")), "samples")

/** The date the samples describe (approximate; see the samples' README). */
export const samplesAsOf = "2026-06-01"

/** Whether the platform loads the samples into an empty database. */
export const SampleDataConfig = Config.boolean("FCC_SAMPLE_DATA").pipe(
  Config.withDescription("Load the bundled FCC sample data on start when no FCC data has been imported yet"),
  Config.withDefault(true)
)

/** Imports every sample: the Form 499 export, the RMD export and each CORES page. */
export const loadSamples = Effect.fn("SampleData.loadSamples")(function*() {
  yield* FccImport.importForm499(join(samplesDirectory, "form499-filer-db.xlsx"), samplesAsOf)
  yield* FccImport.importRmd(join(samplesDirectory, "rmd-published-filings.csv"), samplesAsOf)
  const pages = yield* Effect.promise(() => readdir(join(samplesDirectory, "cores")))
  yield* Effect.forEach(pages.filter((name) => name.endsWith(".html")).sort(), (name) =>
    FccImport.importCoresPage(join(samplesDirectory, "cores", name), samplesAsOf), { discard: true })
})

/** Loads the samples on start when enabled and nothing was ever imported. A failure is logged, not fatal. */
export const layer = Layer.effectDiscard(Effect.gen(function*() {
  if (!(yield* SampleDataConfig)) return
  const sql = yield* SqlClient.SqlClient
  const imports = yield* sql<{ count: string }>`SELECT count(*) AS count FROM fcc_imports`
  if (Number(imports[0]?.count ?? 0) > 0) return
  yield* loadSamples().pipe(
    Effect.tap(() => Effect.logInfo("loaded the FCC sample data")),
    Effect.catchAll((error) => Effect.annotateLogs(Effect.logWarning("FCC sample data not loaded"), { reason: error.message }))
  )
}).pipe(Effect.catchAllCause((cause) => Effect.logWarning("FCC sample data not loaded", cause))))
