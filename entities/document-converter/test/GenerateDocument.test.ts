import { Entity, ShardingConfig } from "@effect/cluster"
import { expect, layer } from "@effect/vitest"
import { DocServerConverter } from "@pw/documents/DocServerConverter"
import { ConversionFailed } from "@pw/documents/PdfConverter"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { ConfigProvider, Context, Effect, Layer, Option, Ref } from "effect"
import { createHash } from "node:crypto"
import * as Fs from "node:fs/promises"
import * as Os from "node:os"
import * as Path from "node:path"
import { PDFDocument } from "pdf-lib"
import { ConversionError, DocumentConverter, DocumentDataInvalid, GenerateDocument } from "../src/DocumentConverter.ts"
import { DocumentConverterLive } from "../src/DocumentConverterLive.ts"

const templatesDirectory = Path.resolve(import.meta.dirname, "../../../templates")

/** The object store on an embedded S3 server in a fresh temp directory, removed with the layer. */
const StoreLayer = Layer.unwrapScoped(
  Effect.gen(function*() {
    const directory = yield* Effect.acquireRelease(
      Effect.promise(() => Fs.mkdtemp(Path.join(Os.tmpdir(), "pw-generate-document-test-"))),
      (directory) => Effect.promise(() => Fs.rm(directory, { recursive: true, force: true }))
    )
    return ObjectStore.layer.pipe(
      Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["PW_DATA_DIR", directory]]))))
    )
  })
)

/** Whether the converter stub fails its next conversions. */
class ConverterFails extends Context.Tag("test/ConverterFails")<ConverterFails, Ref.Ref<boolean>>() {}

/** A converter that returns a one-page PDF, or fails while `ConverterFails` is set. */
const ConverterStub = Layer.effect(
  DocServerConverter,
  Effect.gen(function*() {
    const fails = yield* ConverterFails
    return DocServerConverter.of({
      convertWithEngine: () =>
        Effect.gen(function*() {
          if (yield* Ref.get(fails)) {
            return yield* new ConversionFailed({
              message: "LibreOffice stub failed on purpose",
              exitCode: null,
              stderrTail: "",
              cause: undefined
            })
          }
          const document = yield* Effect.promise(() => PDFDocument.create())
          document.addPage()
          const pdf = yield* Effect.promise(() => document.save())
          return { pdf, engine: "libreoffice" as const, wordConversionId: Option.none(), fallbackReason: Option.none() }
        })
    })
  })
)

const TestLayer = Layer.mergeAll(StoreLayer, ConverterStub).pipe(
  Layer.provideMerge(Layer.effect(ConverterFails, Ref.make(false))),
  Layer.provideMerge(ShardingConfig.layerDefaults)
)

/** Calls the entity's handlers directly, without message storage. */
const directClient = Entity.makeTestClient(DocumentConverter, DocumentConverterLive)

const sample = Effect.promise(async (): Promise<Record<string, unknown>> =>
  JSON.parse(await Fs.readFile(Path.join(templatesDirectory, "cpni-certification", "sample.json"), "utf8"))
)

const request = (name: string, data: unknown) =>
  new GenerateDocument({
    template: "cpni-certification",
    data,
    docxKey: `orders/${name}/certification.docx`,
    pdfKey: `orders/${name}/certification.pdf`,
    requestId: `test-${name}`
  })

/** Runs `effect` and returns its failure. A success becomes a one-line defect. */
const failureOf = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<E, never, R> =>
  Effect.matchEffect(effect, {
    onFailure: Effect.succeed,
    onSuccess: () => Effect.dieMessage("expected the call to fail, but it succeeded")
  })

layer(TestLayer, { excludeTestServices: true })("DocumentConverter GenerateDocument", (it) => {
  it.scoped("stores DOCX and PDF", () =>
    Effect.gen(function*() {
      const store = yield* ObjectStore
      const converter = yield* (yield* directClient)("generate-valid")

      const converted = yield* converter.GenerateDocument(request("valid", yield* sample))
      const pdf = yield* store.get(converted.objectKey)

      expect(converted.objectKey).toBe("orders/valid/certification.pdf")
      expect(converted.sha256).toBe(createHash("sha256").update(pdf).digest("hex"))
      expect(yield* store.list("orders/valid/")).toEqual([
        "orders/valid/certification.docx",
        "orders/valid/certification.pdf"
      ])
    }))

  it.scoped("missing field names it, stores nothing", () =>
    Effect.gen(function*() {
      const store = yield* ObjectStore
      const converter = yield* (yield* directClient)("generate-missing")
      const { frn: _frn, ...withoutFrn } = yield* sample

      const error = yield* failureOf(converter.GenerateDocument(request("missing", withoutFrn)))

      expect(error).toBeInstanceOf(DocumentDataInvalid)
      expect(error._tag === "DocumentDataInvalid" ? error.field : undefined).toBe("frn")
      expect(error.message).toContain("frn")
      expect(yield* store.list("orders/missing/")).toEqual([])
    }))

  it.scoped("mistyped field names it, stores nothing", () =>
    Effect.gen(function*() {
      const store = yield* ObjectStore
      const converter = yield* (yield* directClient)("generate-mistyped")
      const data = { ...(yield* sample), complaintsEmployees: "two" }

      const error = yield* failureOf(converter.GenerateDocument(request("mistyped", data)))

      expect(error).toBeInstanceOf(DocumentDataInvalid)
      expect(error._tag === "DocumentDataInvalid" ? error.field : undefined).toBe("complaintsEmployees")
      expect(yield* store.list("orders/mistyped/")).toEqual([])
    }))

  it.scoped("failed conversion removes the DOCX", () =>
    Effect.gen(function*() {
      const store = yield* ObjectStore
      const fails = yield* ConverterFails
      const converter = yield* (yield* directClient)("generate-failing")

      yield* Ref.set(fails, true)
      const error = yield* failureOf(converter.GenerateDocument(request("failing", yield* sample)))
      yield* Ref.set(fails, false)

      expect(error).toBeInstanceOf(ConversionError)
      expect(error.message).toContain("LibreOffice stub failed on purpose")
      expect(yield* store.list("orders/failing/")).toEqual([])
    }))
})
