/**
 * Benchmark of DOCX to PDF conversion: the warm LibreOffice pool against one
 * cold `soffice --convert-to pdf` per document (`SofficeCli`), on the same
 * 20 two-page documents, one conversion at a time on each path. Exits with
 * status 1 when the warm path is less than 10 times faster in total.
 *
 *     node --import tsx bench/conversion.ts
 *
 * Settings come from the environment as for the platform (SOFFICE_PATH,
 * DOCSERVER_POOL_SIZE, DOCSERVER_PYTHON, ...), except PW_DATA_DIR: the
 * profiles live in a temporary directory removed at the end.
 */
import * as Fs from "node:fs/promises"
import * as Os from "node:os"
import * as Path from "node:path"
import { LibreOfficeConverter } from "@pw/documents/LibreOfficeConverter"
import { PdfConverterConfig } from "@pw/documents/PdfConverterConfig"
import * as SofficeCli from "@pw/documents/SofficeCli"
import { PDFDocument } from "pdf-lib"
import { ConfigProvider, Context, Effect, Layer, Logger, LogLevel } from "effect"
import { documentCount, expectedPageCount, renderDocuments } from "./documents.ts"

/** Minimum ratio of cold to warm total time; a measurement on two cores gave about 20. */
const requiredSpeedup = 10

type Convert = LibreOfficeConverter["Type"]["convert"]

/** Time of each conversion in milliseconds, and the PDFs. */
interface PathResult {
  readonly millis: ReadonlyArray<number>
  readonly pdfs: ReadonlyArray<Uint8Array>
}

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

const sum = (values: ReadonlyArray<number>): number => values.reduce((total, value) => total + value, 0)

const format = (millis: number): string => `${millis.toFixed(0)} ms`

/** Converts the documents one after another, after one untimed conversion that creates the profile. */
const measure = (convert: Convert, documents: ReadonlyArray<Uint8Array>) =>
  Effect.gen(function* () {
    const [first] = documents
    if (first !== undefined) {
      yield* convert(first)
    }
    const millis: Array<number> = []
    const pdfs: Array<Uint8Array> = []
    for (const document of documents) {
      const startedAt = performance.now()
      const pdf = yield* convert(document)
      millis.push(performance.now() - startedAt)
      pdfs.push(pdf)
    }
    return { millis, pdfs } satisfies PathResult
  })

/** Fails unless every PDF has the expected number of pages. */
const checkPages = (label: string, pdfs: ReadonlyArray<Uint8Array>) =>
  Effect.forEach(pdfs, (pdf, index) =>
    Effect.promise(() => PDFDocument.load(pdf)).pipe(
      Effect.flatMap((document) =>
        document.getPageCount() === expectedPageCount
          ? Effect.void
          : Effect.fail(
              new Error(`${label} document ${index + 1} has ${document.getPageCount()} pages, expected ${expectedPageCount}`)
            )
      )
    )
  )

const report = (label: string, result: PathResult): void => {
  console.log(
    `${label.padEnd(24)} total ${format(sum(result.millis)).padStart(9)}  median ${format(median(result.millis)).padStart(8)}  ` +
      `min ${format(Math.min(...result.millis)).padStart(8)}  max ${format(Math.max(...result.millis)).padStart(8)}`
  )
}

const program = Effect.gen(function* () {
  const dataDirectory = yield* Effect.acquireRelease(
    Effect.promise(() => Fs.mkdtemp(Path.join(Os.tmpdir(), "pw-bench-"))),
    (directory) => Effect.promise(() => Fs.rm(directory, { recursive: true, force: true }))
  )
  const configLayer = PdfConverterConfig.layer.pipe(
    Layer.provide(
      Layer.setConfigProvider(
        ConfigProvider.orElse(ConfigProvider.fromMap(new Map([["PW_DATA_DIR", dataDirectory]])), () =>
          ConfigProvider.fromEnv()
        )
      )
    )
  )
  const documents = yield* renderDocuments()

  const poolStartedAt = performance.now()
  const warm = Context.get(yield* Layer.build(LibreOfficeConverter.layer.pipe(Layer.provide(configLayer))), LibreOfficeConverter)
  const poolStartMillis = performance.now() - poolStartedAt
  const cold = Context.get(yield* Layer.build(SofficeCli.layer.pipe(Layer.provide(configLayer))), LibreOfficeConverter)

  const warmResult = yield* measure(warm.convert, documents)
  const coldResult = yield* measure(cold.convert, documents)
  yield* checkPages("warm", warmResult.pdfs)
  yield* checkPages("cold", coldResult.pdfs)

  const totalRatio = sum(coldResult.millis) / sum(warmResult.millis)
  const medianRatio = median(coldResult.millis) / median(warmResult.millis)
  console.log(`${documentCount} two-page DOCX documents, one conversion at a time, on ${Os.cpus().length} CPUs (${Os.cpus()[0]?.model ?? "unknown"})`)
  console.log(`warm pool start (not counted below): ${format(poolStartMillis)}`)
  report("warm pool (UNO)", warmResult)
  report("cold soffice per document", coldResult)
  console.log(`speedup: total ${totalRatio.toFixed(1)}x, median ${medianRatio.toFixed(1)}x (required: ${requiredSpeedup}x total)`)
  return totalRatio
})

const totalRatio = await Effect.runPromise(
  program.pipe(Effect.scoped, Logger.withMinimumLogLevel(LogLevel.Warning))
)
if (totalRatio < requiredSpeedup) {
  console.error(`Warm conversion was only ${totalRatio.toFixed(1)}x faster than cold, below the required ${requiredSpeedup}x.`)
  process.exitCode = 1
}
