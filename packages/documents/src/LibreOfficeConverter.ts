/**
 * DOCX to PDF conversion on this machine's LibreOffice, as opposed to the
 * Word worker reached through object storage.
 */
import { Context, Effect, Layer } from "effect"
import type { ConfigError } from "effect"
import type { LibreOfficeStartFailed } from "./LibreOfficeInstance.ts"
import { LibreOfficePool } from "./LibreOfficePool.ts"
import type { PdfConverter } from "./PdfConverter.ts"
import { PdfConverterConfig } from "./PdfConverterConfig.ts"
import type { SofficeNotFound } from "./SofficeProcess.ts"

/** Converts DOCX to PDF with LibreOffice; same contract as `PdfConverter`. */
export class LibreOfficeConverter extends Context.Tag("@pw/documents/LibreOfficeConverter")<
  LibreOfficeConverter,
  PdfConverter["Type"]
>() {
  /**
   * The warm `LibreOfficePool`, configured from the environment (see
   * `PdfConverterConfig.layer`). Fails with `SofficeNotFound` when
   * LibreOffice is not installed and with `LibreOfficeStartFailed` when an
   * instance does not start. `SofficeCli.layer` is the one-process-per-document
   * alternative.
   */
  static readonly layer: Layer.Layer<
    LibreOfficeConverter,
    SofficeNotFound | LibreOfficeStartFailed | ConfigError.ConfigError
  > = Layer.effect(
    LibreOfficeConverter,
    Effect.map(LibreOfficePool, (pool) => LibreOfficeConverter.of({ convert: pool.convert }))
  ).pipe(Layer.provide(LibreOfficePool.layer), Layer.provide(PdfConverterConfig.layer))
}
