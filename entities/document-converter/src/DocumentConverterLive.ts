/**
 * The DocumentConverter entity's behaviour: read the DOCX from object storage,
 * convert it on the Word worker or LibreOffice, store the PDF. Converting
 * again overwrites the PDF with the same content, so redelivery is harmless.
 */
import { DocServerConverter } from "@pw/documents/DocServerConverter"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { Effect, Layer, Option } from "effect"
import { ConversionError, ConvertedDocument, DocumentConverter } from "./DocumentConverter.ts"

/** The DocumentConverter entity's handlers; needs the object store and the document converters. */
export const DocumentConverterLive = DocumentConverter.toLayer(Effect.gen(function*() {
  const store = yield* ObjectStore
  const converter = yield* DocServerConverter

  return {
    ConvertToPdf: Effect.fnUntraced(function*({ payload }) {
      const fail = (cause: { readonly message: string }) =>
        new ConversionError({ sourceKey: payload.sourceKey, reason: cause.message })

      const docx = yield* store.get(payload.sourceKey).pipe(Effect.mapError(fail))
      const converted = yield* converter.convertWithEngine(docx).pipe(Effect.mapError(fail))
      const stored = yield* store.put(payload.targetKey, converted.pdf, "application/pdf").pipe(Effect.mapError(fail))

      yield* Effect.annotateLogs(Effect.logInfo("document converted"), {
        sourceKey: payload.sourceKey,
        targetKey: payload.targetKey,
        size: stored.size,
        engine: converted.engine,
        ...Option.match(converted.fallbackReason, { onNone: () => ({}), onSome: (fallbackReason) => ({ fallbackReason }) })
      })
      return new ConvertedDocument({ objectKey: payload.targetKey, size: stored.size, sha256: stored.sha256 })
    })
  }
}))

/** The entity on a docserver runner: the Word worker while its heartbeat is fresh, LibreOffice otherwise. */
export const DocumentConverterRunnerLive = DocumentConverterLive.pipe(Layer.provide(DocServerConverter.runnerLayer))
