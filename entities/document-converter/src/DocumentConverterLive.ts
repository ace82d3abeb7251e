/**
 * The DocumentConverter entity's behaviour: render templates, convert DOCX on
 * the Word worker or LibreOffice, store the results. Converting again
 * overwrites the objects with the same content, so redelivery is harmless.
 */
import { DocServerConverter } from "@pw/documents/DocServerConverter"
import { renderTemplate } from "@pw/documents/DocumentTemplates"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { Effect, Layer, Option } from "effect"
import { ConversionError, ConvertedDocument, DocumentConverter, DocumentDataInvalid } from "./DocumentConverter.ts"

const docxContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

/** The DocumentConverter entity's handlers; needs the object store and the document converters. */
export const DocumentConverterLive = DocumentConverter.toLayer(Effect.gen(function*() {
  const store = yield* ObjectStore
  const converter = yield* DocServerConverter

  /** Converts `docx` and stores the PDF at `targetKey`; `sourceKey` names the document in errors and logs. */
  const convertAndStore = (docx: Uint8Array, sourceKey: string, targetKey: string) =>
    Effect.gen(function*() {
      const fail = (cause: { readonly message: string }) => new ConversionError({ sourceKey, reason: cause.message })

      const converted = yield* converter.convertWithEngine(docx).pipe(Effect.mapError(fail))
      const stored = yield* store.put(targetKey, converted.pdf, "application/pdf").pipe(Effect.mapError(fail))

      yield* Effect.annotateLogs(Effect.logInfo("document converted"), {
        sourceKey,
        targetKey,
        size: stored.size,
        engine: converted.engine,
        ...Option.match(converted.fallbackReason, { onNone: () => ({}), onSome: (fallbackReason) => ({ fallbackReason }) })
      })
      return new ConvertedDocument({ objectKey: targetKey, size: stored.size, sha256: stored.sha256 })
    })

  /** Removes what a failed generation may have stored, so no half-made document stays behind. */
  const removeObjects = (keys: ReadonlyArray<string>) =>
    Effect.forEach(keys, (key) =>
      store.remove(key).pipe(
        Effect.catchAll((error) =>
          Effect.annotateLogs(Effect.logWarning("could not remove object of a failed generation"), {
            key,
            reason: error.message
          })
        )
      ), { discard: true })

  return {
    ConvertToPdf: Effect.fnUntraced(function*({ payload }) {
      const docx = yield* store.get(payload.sourceKey).pipe(
        Effect.mapError((cause) => new ConversionError({ sourceKey: payload.sourceKey, reason: cause.message }))
      )
      return yield* convertAndStore(docx, payload.sourceKey, payload.targetKey)
    }),

    GenerateDocument: Effect.fnUntraced(function*({ payload }) {
      const { docxKey, pdfKey, template } = payload
      const fail = (cause: { readonly message: string }) => new ConversionError({ sourceKey: docxKey, reason: cause.message })

      const docx = yield* renderTemplate(template, payload.data).pipe(
        Effect.catchTags({
          TemplateDataInvalid: (invalid) =>
            new DocumentDataInvalid({ template, field: invalid.field, message: invalid.message }),
          TemplateFileUnreadable: fail,
          TemplateError: fail
        })
      )
      return yield* store.put(docxKey, docx, docxContentType).pipe(
        Effect.mapError(fail),
        Effect.zipRight(convertAndStore(docx, docxKey, pdfKey)),
        Effect.tapError((error) =>
          Effect.annotateLogs(Effect.logWarning("document generation failed"), { template, docxKey, reason: error.message })
        ),
        Effect.onError(() => removeObjects([docxKey, pdfKey]))
      )
    })
  }
}))

/** The entity on a docserver runner: the Word worker while its heartbeat is fresh, LibreOffice otherwise. */
export const DocumentConverterRunnerLive = DocumentConverterLive.pipe(Layer.provide(DocServerConverter.runnerLayer))
