/**
 * The DocumentConverter entity's behaviour: read the DOCX from object storage,
 * convert it with LibreOffice, store the PDF. Converting again overwrites the
 * PDF with the same content, so redelivery is harmless.
 */
import { PdfConverter } from "@pw/documents/PdfConverter"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { Effect } from "effect"
import { createHash } from "node:crypto"
import { ConversionError, ConvertedDocument, DocumentConverter } from "./DocumentConverter.ts"

/** The DocumentConverter entity's handlers; needs the object store and LibreOffice. */
export const DocumentConverterLive = DocumentConverter.toLayer(Effect.gen(function*() {
  const store = yield* ObjectStore
  const converter = yield* PdfConverter

  return {
    ConvertToPdf: Effect.fnUntraced(function*({ payload }) {
      const fail = (cause: { readonly message: string }) =>
        new ConversionError({ sourceKey: payload.sourceKey, reason: cause.message })

      const docx = yield* store.get(payload.sourceKey).pipe(Effect.mapError(fail))
      const pdf = yield* converter.convert(docx).pipe(Effect.mapError(fail))
      const stat = yield* store.put(payload.targetKey, pdf, "application/pdf").pipe(Effect.mapError(fail))

      yield* Effect.annotateLogs(Effect.logInfo("document converted"), {
        sourceKey: payload.sourceKey,
        targetKey: payload.targetKey,
        size: stat.size
      })
      return new ConvertedDocument({
        objectKey: payload.targetKey,
        size: pdf.byteLength,
        sha256: createHash("sha256").update(pdf).digest("hex")
      })
    })
  }
}))
