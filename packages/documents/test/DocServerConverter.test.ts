import * as Fs from "node:fs/promises"
import * as Os from "node:os"
import * as Path from "node:path"
import { expect, layer } from "@effect/vitest"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { ConfigError, ConfigProvider, Context, Effect, Exit, HashMap, Layer, Logger, Option, Ref } from "effect"
import { PDFDocument } from "pdf-lib"
import { readPdfTitle, WordWorkerDouble, wordPdfTitle } from "../../../test/doubles/WordWorkerDouble.ts"
import { DocServerConverter } from "../src/DocServerConverter.ts"
import { LibreOfficeConverter } from "../src/LibreOfficeConverter.ts"
import * as LibreOfficeStartFailure from "../src/LibreOfficeStartFailure.ts"
import { ConversionFailed, PdfConverter } from "../src/PdfConverter.ts"
import { SofficeNotFound } from "../src/SofficeProcess.ts"
import * as WordWorkerProtocol from "../src/WordWorkerProtocol.ts"

/** The object store on an embedded S3 server in a fresh temp directory, removed with the layer. */
const StoreLayer = Layer.unwrapScoped(
  Effect.gen(function* () {
    const directory = yield* Effect.acquireRelease(
      Effect.promise(() => Fs.mkdtemp(Path.join(Os.tmpdir(), "pw-docserver-converter-test-"))),
      (directory) => Effect.promise(() => Fs.rm(directory, { recursive: true, force: true }))
    )
    return ObjectStore.layer.pipe(
      Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["PW_DATA_DIR", directory]]))))
    )
  })
)

const TestLayer = WordWorkerDouble.layer({ pollInterval: "100 millis" }).pipe(Layer.provideMerge(StoreLayer))

/** Title of every PDF the LibreOffice stub makes. */
const libreOfficeMarker = "LibreOffice stub"

/** Short limits, and a heartbeat read for every document so each test sees its own writes. */
const testSettings = {
  DOCSERVER_WORD_HEARTBEAT_CHECK_INTERVAL: "0 millis",
  DOCSERVER_WORD_TIMEOUT: "2 seconds",
  DOCSERVER_WORD_POLL_INTERVAL: "100 millis"
}

/**
 * Builds `DocServerConverter.layer` in the current scope, by default over a
 * LibreOffice stub that makes a one-page PDF titled "LibreOffice stub", and
 * returns both provided services and the number of stub conversions.
 */
const openConverter = (
  settings: Record<string, string> = {},
  libreOffice?: Layer.Layer<LibreOfficeConverter, ConfigError.ConfigError>
) =>
  Effect.gen(function* () {
    const libreOfficeCalls = yield* Ref.make(0)
    const stub = Layer.succeed(LibreOfficeConverter, {
      convert: () =>
        Ref.update(libreOfficeCalls, (count) => count + 1).pipe(
          Effect.zipRight(
            Effect.promise(async () => {
              const document = await PDFDocument.create()
              document.setTitle(libreOfficeMarker)
              document.addPage()
              return await document.save()
            })
          )
        )
    })
    const context = yield* Layer.build(
      DocServerConverter.layer.pipe(
        Layer.provide(libreOffice ?? stub),
        Layer.provide(
          Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries({ ...testSettings, ...settings }))))
        )
      )
    )
    return {
      router: Context.get(context, DocServerConverter),
      pdfConverter: Context.get(context, PdfConverter),
      libreOfficeCalls: Ref.get(libreOfficeCalls)
    }
  })

/** A LibreOffice that failed to start, as on a machine without it. */
const missingLibreOffice = LibreOfficeStartFailure.tolerate(
  Layer.fail(new SofficeNotFound({ message: "soffice was not found on PATH.", searchedPaths: ["/usr/bin/soffice"] }))
)

/** Bytes with the ZIP signature, which is all the router and the double look at. */
const fakeDocx = (label: string) => new TextEncoder().encode(`PK\x03\x04 ${label}`)

/** Keys left under the Word worker's prefixes. */
const leftovers = Effect.gen(function* () {
  const store = yield* ObjectStore
  const toConvert = yield* store.list(WordWorkerProtocol.toConvertPrefix)
  const converted = yield* store.list(WordWorkerProtocol.convertedPrefix)
  return [...toConvert, ...converted]
})

const receivedCount = Effect.flatMap(WordWorkerDouble, (worker) => worker.received).pipe(
  Effect.map((received) => received.length)
)

const receivedIds = Effect.flatMap(WordWorkerDouble, (worker) => worker.received).pipe(
  Effect.map((received) => received.map((docx) => docx.conversionId))
)

interface LogEntry {
  readonly message: string
  readonly annotations: Readonly<Record<string, unknown>>
}

/** Runs `effect` with a logger that keeps every entry, and returns its result and the entries. */
const captureLogs = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const entries: Array<LogEntry> = []
    const logger = Logger.make(({ annotations, message }) => {
      entries.push({
        message: Array.isArray(message) ? message.join(" ") : String(message),
        annotations: Object.fromEntries(HashMap.toEntries(annotations))
      })
    })
    const result = yield* effect.pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
    return [result, entries] as const
  })

layer(TestLayer, { excludeTestServices: true })("DocServerConverter", (it) => {
  it.scoped("fresh heartbeat converts with Word", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.setMode("convert")
      yield* worker.writeHeartbeat()
      const { router, libreOfficeCalls } = yield* openConverter()
      const docx = fakeDocx("fresh heartbeat")

      const result = yield* router.convertWithEngine(docx)
      expect(result.engine).toBe("word")
      expect(Option.isNone(result.fallbackReason)).toBe(true)
      expect(yield* receivedIds).toContain(Option.getOrUndefined(result.wordConversionId))
      expect(yield* readPdfTitle(result.pdf)).toBe(wordPdfTitle(docx))
      expect(yield* libreOfficeCalls).toBe(0)
      expect(yield* leftovers).toEqual([])
    })
  )

  it.scoped("PdfConverter goes through Word", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.setMode("convert")
      yield* worker.writeHeartbeat()
      const { pdfConverter } = yield* openConverter()
      const docx = fakeDocx("through the PdfConverter tag")

      const pdf = yield* pdfConverter.convert(docx)
      expect(yield* readPdfTitle(pdf)).toBe(wordPdfTitle(docx))
    })
  )

  it.scoped("stale heartbeat converts with LibreOffice", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.setMode("convert")
      yield* worker.writeHeartbeat("10 minutes")
      const { router } = yield* openConverter()
      const receivedBefore = yield* receivedCount

      const result = yield* router.convertWithEngine(fakeDocx("stale heartbeat"))
      expect(result.engine).toBe("libreoffice")
      expect(Option.isNone(result.wordConversionId)).toBe(true)
      expect(Option.getOrElse(result.fallbackReason, () => "")).toContain("DOCSERVER_WORD_HEARTBEAT_MAX_AGE")
      expect(yield* readPdfTitle(result.pdf)).toBe(libreOfficeMarker)
      expect(yield* receivedCount).toBe(receivedBefore)
      expect(yield* leftovers).toEqual([])
    })
  )

  it.scoped("missing heartbeat converts with LibreOffice", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.setMode("convert")
      yield* worker.removeHeartbeat
      const { router } = yield* openConverter()
      const receivedBefore = yield* receivedCount

      const result = yield* router.convertWithEngine(fakeDocx("missing heartbeat"))
      expect(result.engine).toBe("libreoffice")
      expect(Option.getOrElse(result.fallbackReason, () => "")).toContain("is missing")
      expect(yield* readPdfTitle(result.pdf)).toBe(libreOfficeMarker)
      expect(yield* receivedCount).toBe(receivedBefore)
      expect(yield* leftovers).toEqual([])
    })
  )

  it.scoped("hung worker falls back to LibreOffice", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.setMode("hang")
      yield* worker.writeHeartbeat()
      const { router } = yield* openConverter()

      const [result, logs] = yield* captureLogs(router.convertWithEngine(fakeDocx("hung worker")))
      const conversionId = Option.getOrElse(result.wordConversionId, () => "none")
      expect(result.engine).toBe("libreoffice")
      expect(Option.getOrElse(result.fallbackReason, () => "")).toContain("DOCSERVER_WORD_TIMEOUT")
      expect(yield* readPdfTitle(result.pdf)).toBe(libreOfficeMarker)
      expect(yield* receivedIds).toContain(conversionId)
      expect(yield* leftovers).toEqual([])

      const converted = logs.find((entry) => entry.message === "PDF converted")
      expect(converted?.annotations["engine"]).toBe("libreoffice")
      expect(converted?.annotations["conversionId"]).toBe(conversionId)
      expect(String(converted?.annotations["fallbackReason"])).toContain("DOCSERVER_WORD_TIMEOUT")
    })
  )

  it.scoped("timeout skips Word during backoff", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.setMode("hang")
      yield* worker.writeHeartbeat()
      const { router } = yield* openConverter()
      yield* router.convertWithEngine(fakeDocx("hung worker before backoff"))
      yield* worker.setMode("convert")
      const receivedBefore = yield* receivedCount

      const result = yield* router.convertWithEngine(fakeDocx("during backoff"))
      expect(result.engine).toBe("libreoffice")
      expect(Option.getOrElse(result.fallbackReason, () => "")).toContain("DOCSERVER_WORD_BACKOFF")
      expect(yield* receivedCount).toBe(receivedBefore)
    })
  )

  it.scoped("zero backoff retries Word", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.setMode("hang")
      yield* worker.writeHeartbeat()
      const { router } = yield* openConverter({ DOCSERVER_WORD_BACKOFF: "0 seconds" })
      yield* router.convertWithEngine(fakeDocx("hung worker without backoff"))
      yield* worker.setMode("convert")

      const result = yield* router.convertWithEngine(fakeDocx("after the timeout"))
      expect(result.engine).toBe("word")
    })
  )

  it.scoped("non-PDF result falls back", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.setMode("non-pdf")
      yield* worker.writeHeartbeat()
      const { router } = yield* openConverter()

      const result = yield* router.convertWithEngine(fakeDocx("text instead of a PDF"))
      expect(result.engine).toBe("libreoffice")
      expect(Option.isSome(result.wordConversionId)).toBe(true)
      expect(Option.getOrElse(result.fallbackReason, () => "")).toContain("is not a PDF")
      expect(yield* readPdfTitle(result.pdf)).toBe(libreOfficeMarker)
      expect(yield* leftovers).toEqual([])
    })
  )

  it.scoped("concurrent Word conversions stay distinct", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.setMode("convert")
      yield* worker.writeHeartbeat()
      const { router, libreOfficeCalls } = yield* openConverter()
      const documents = ["one", "two, longer", "three, longer still", "four, the longest of them all"].map(fakeDocx)

      const results = yield* Effect.forEach(documents, router.convertWithEngine, { concurrency: "unbounded" })
      expect(results.map((result) => result.engine)).toEqual(documents.map(() => "word"))
      expect(new Set(results.map((result) => Option.getOrUndefined(result.wordConversionId))).size).toBe(4)
      const titles = yield* Effect.forEach(results, (result) => readPdfTitle(result.pdf))
      expect(titles).toEqual(documents.map(wordPdfTitle))
      expect(yield* libreOfficeCalls).toBe(0)
      expect(yield* leftovers).toEqual([])
    })
  )

  it.scoped("disabled Word uses LibreOffice", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.setMode("convert")
      yield* worker.writeHeartbeat()
      const { router } = yield* openConverter({ DOCSERVER_WORD_ENABLED: "false" })
      const receivedBefore = yield* receivedCount

      const result = yield* router.convertWithEngine(fakeDocx("Word switched off"))
      expect(result.engine).toBe("libreoffice")
      expect(Option.getOrElse(result.fallbackReason, () => "")).toContain("DOCSERVER_WORD_ENABLED=false")
      expect(yield* receivedCount).toBe(receivedBefore)
    })
  )

  it.scoped("non-DOCX input fails at once", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.writeHeartbeat()
      const { router, libreOfficeCalls } = yield* openConverter()
      const receivedBefore = yield* receivedCount

      const error = yield* Effect.flip(router.convertWithEngine(new TextEncoder().encode("plain text")))
      expect(error).toBeInstanceOf(ConversionFailed)
      expect(error.message).toContain("not a DOCX")
      expect(yield* libreOfficeCalls).toBe(0)
      expect(yield* receivedCount).toBe(receivedBefore)
    })
  )

  it.scoped("failed LibreOffice start keeps Word", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.setMode("convert")
      yield* worker.writeHeartbeat()
      const { router } = yield* openConverter({}, missingLibreOffice)

      const result = yield* router.convertWithEngine(fakeDocx("LibreOffice missing"))
      expect(result.engine).toBe("word")
    })
  )

  it.scoped("failed LibreOffice start fails fallback", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.removeHeartbeat
      const { router } = yield* openConverter({}, missingLibreOffice)

      const error = yield* Effect.flip(router.convertWithEngine(fakeDocx("both engines down")))
      expect(error).toBeInstanceOf(ConversionFailed)
      expect(error.message).toContain("failed to start: soffice was not found on PATH.")
    })
  )

  it.scoped("tolerate keeps configuration errors", () =>
    Effect.gen(function* () {
      const badSetting = LibreOfficeStartFailure.tolerate(
        Layer.fail(ConfigError.InvalidData(["DOCSERVER_CONCURRENCY"], "Expected an integer"))
      )

      const exit = yield* Effect.exit(openConverter({}, badSetting))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(exit)).toContain("DOCSERVER_CONCURRENCY")
    })
  )
})
