import * as Fs from "node:fs/promises"
import * as Os from "node:os"
import * as Path from "node:path"
import { expect, layer } from "@effect/vitest"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { ConfigProvider, Duration, Effect, Layer, Option } from "effect"
import { readPdfTitle, WordWorkerDouble, wordPdfTitle } from "../../../test/doubles/WordWorkerDouble.ts"
import { WordWorkerConfig } from "../src/WordWorkerConfig.ts"
import * as WordWorkerProtocol from "../src/WordWorkerProtocol.ts"
import {
  removeAbandoned,
  WordConversionFailed,
  WordConversionTimedOut,
  WordWorkerTransport
} from "../src/WordWorkerTransport.ts"

/** The object store on an embedded S3 server in a fresh temp directory, removed with the layer. */
const StoreLayer = Layer.unwrapScoped(
  Effect.gen(function* () {
    const directory = yield* Effect.acquireRelease(
      Effect.promise(() => Fs.mkdtemp(Path.join(Os.tmpdir(), "pw-word-transport-test-"))),
      (directory) => Effect.promise(() => Fs.rm(directory, { recursive: true, force: true }))
    )
    return ObjectStore.layer.pipe(
      Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["PW_DATA_DIR", directory]]))))
    )
  })
)

/** Short limits so the hung worker's case ends in two seconds. */
const TransportLayer = WordWorkerTransport.layer.pipe(
  Layer.provide(WordWorkerConfig.layer),
  Layer.provide(
    Layer.setConfigProvider(
      ConfigProvider.fromMap(
        new Map([
          ["DOCSERVER_WORD_TIMEOUT", "2 seconds"],
          ["DOCSERVER_WORD_POLL_INTERVAL", "100 millis"]
        ])
      )
    )
  )
)

const TestLayer = Layer.mergeAll(TransportLayer, WordWorkerDouble.layer({ pollInterval: "100 millis" })).pipe(
  Layer.provideMerge(StoreLayer)
)

/** Bytes that stand in for a DOCX: the transport passes them on unread. */
const fakeDocx = (label: string) => new TextEncoder().encode(`PK\x03\x04 ${label}`)

/** Keys left under the Word worker's prefixes. */
const leftovers = Effect.gen(function* () {
  const store = yield* ObjectStore
  const toConvert = yield* store.list(WordWorkerProtocol.toConvertPrefix)
  const converted = yield* store.list(WordWorkerProtocol.convertedPrefix)
  return [...toConvert, ...converted]
})

/** Ids of the conversions the double has seen. */
const receivedIds = Effect.flatMap(WordWorkerDouble, (worker) => worker.received).pipe(
  Effect.map((received) => received.map((docx) => docx.conversionId))
)

layer(TestLayer, { excludeTestServices: true })("WordWorkerTransport", (it) => {
  it.scoped("converting worker returns its PDF", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.setMode("convert")
      const transport = yield* WordWorkerTransport
      const docx = fakeDocx("converted by the worker")

      const result = yield* transport.convert(docx)
      expect(new TextDecoder().decode(result.pdf.subarray(0, 5))).toBe("%PDF-")
      expect(yield* readPdfTitle(result.pdf)).toBe(wordPdfTitle(docx))
      expect(yield* receivedIds).toContain(result.conversionId)
      expect(yield* leftovers).toEqual([])
    })
  )

  it.scoped("hung worker times out", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.setMode("hang")
      const transport = yield* WordWorkerTransport

      const error = yield* Effect.flip(transport.convert(fakeDocx("never converted")))
      expect(error).toBeInstanceOf(WordConversionTimedOut)
      expect(error.message).toContain(error.conversionId)
      expect(error.message).toContain(`"converted/${error.conversionId}.pdf"`)
      expect(error.message).toContain(`"to-convert/${error.conversionId}.docx" is removed`)
      expect(yield* receivedIds).toContain(error.conversionId)
      expect(yield* leftovers).toEqual([])
    })
  )

  it.scoped("non-PDF result fails", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.setMode("non-pdf")
      const transport = yield* WordWorkerTransport

      const error = yield* Effect.flip(transport.convert(fakeDocx("returned as text")))
      expect(error).toBeInstanceOf(WordConversionFailed)
      expect(error.message).toContain(`"converted/${error.conversionId}.pdf"`)
      expect(error.message).toContain('it starts with "Word could not o" instead of "%PDF-"')
      expect(yield* leftovers).toEqual([])
    })
  )

  it.scoped("concurrent conversions get distinct ids", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.setMode("convert")
      const transport = yield* WordWorkerTransport
      const documents = ["first", "second, longer", "third, the longest of all"].map(fakeDocx)

      const results = yield* Effect.forEach(documents, transport.convert, { concurrency: "unbounded" })
      expect(new Set(results.map((result) => result.conversionId)).size).toBe(documents.length)
      const titles = yield* Effect.forEach(results, (result) => readPdfTitle(result.pdf))
      expect(titles).toEqual(documents.map(wordPdfTitle))
      expect(yield* leftovers).toEqual([])
    })
  )

  it.scoped("removeAbandoned removes only old objects", () =>
    Effect.gen(function* () {
      const worker = yield* WordWorkerDouble
      yield* worker.setMode("hang")
      const store = yield* ObjectStore
      const bytes = new TextEncoder().encode("left behind")
      yield* store.put("to-convert/abandoned.docx", bytes, WordWorkerProtocol.docxContentType)
      yield* store.put("converted/abandoned.pdf", bytes, "application/pdf")
      yield* store.put("orders/unrelated.pdf", bytes, "application/pdf")

      const keptByLongAge = yield* removeAbandoned(store, Duration.hours(1))
      expect(keptByLongAge).toEqual([])

      const removed = yield* removeAbandoned(store, Duration.zero)
      expect(removed).toEqual(["to-convert/abandoned.docx", "converted/abandoned.pdf"])
      expect(yield* leftovers).toEqual([])
      expect(Option.isSome(yield* store.stat("orders/unrelated.pdf"))).toBe(true)
    })
  )
})
