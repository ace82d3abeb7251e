/**
 * DOCX to PDF conversion, the service the document converter entity uses.
 * Today it is LibreOffice's warm pool.
 */
import { Context, Layer } from "effect"
import type { ConfigError, Effect } from "effect"
import type { ConversionFailed, ConversionTimedOut } from "./ConversionErrors.ts"
import { LibreOfficeConverter } from "./LibreOfficeConverter.ts"
import type { LibreOfficeStartFailed } from "./LibreOfficeInstance.ts"
import type { SofficeNotFound } from "./SofficeProcess.ts"

export { ConversionFailed, ConversionTimedOut } from "./ConversionErrors.ts"
export { PdfConverterConfig } from "./PdfConverterConfig.ts"

/** Converts DOCX documents to PDF. */
export class PdfConverter extends Context.Tag("@pw/documents/PdfConverter")<
  PdfConverter,
  {
    /**
     * Converts one DOCX to PDF. Fails with `ConversionFailed` when the input
     * is not a DOCX or the converter cannot produce a PDF, and with
     * `ConversionTimedOut` when the conversion passes `DOCSERVER_TIMEOUT`.
     * Waits while every converter is busy; the time limit does not count the wait.
     */
    readonly convert: (docx: Uint8Array) => Effect.Effect<Uint8Array, ConversionFailed | ConversionTimedOut>
  }
>() {
  /**
   * The converter configured from the environment: `LibreOfficeConverter.layer`,
   * the warm LibreOffice pool. Fails with `SofficeNotFound`, naming the
   * install command, when LibreOffice is not installed, and with
   * `LibreOfficeStartFailed` when a LibreOffice instance does not start.
   */
  static readonly layer: Layer.Layer<
    PdfConverter,
    SofficeNotFound | LibreOfficeStartFailed | ConfigError.ConfigError
  > = Layer.effect(PdfConverter, LibreOfficeConverter).pipe(Layer.provide(LibreOfficeConverter.layer))
}
