/**
 * The docserver's PDF converter: Microsoft Word on the Word worker while its
 * heartbeat is fresh, LibreOffice on this machine otherwise, and LibreOffice
 * again for any document the Word path fails or times out on.
 */
import { Clock, Context, Duration, Effect, Layer, Option, Ref } from "effect"
import type { ConfigError } from "effect"
import type { ObjectStore } from "@pw/storage/ObjectStore"
import { LibreOfficeConverter } from "./LibreOfficeConverter.ts"
import * as LibreOfficeStartFailure from "./LibreOfficeStartFailure.ts"
import { ConversionFailed, PdfConverter } from "./PdfConverter.ts"
import type { ConversionTimedOut } from "./PdfConverter.ts"
import { WordWorkerConfig } from "./WordWorkerConfig.ts"
import { WordWorkerHeartbeat } from "./WordWorkerHeartbeat.ts"
import { WordWorkerTransport } from "./WordWorkerTransport.ts"

/** The program that produced a PDF. */
export type ConversionEngine = "word" | "libreoffice"

/** A PDF with the engine that produced it. */
export interface EngineConversion {
  readonly pdf: Uint8Array
  readonly engine: ConversionEngine
  /** UUID of the Word attempt, or `None` when the document was not sent to the Word worker. */
  readonly wordConversionId: Option.Option<string>
  /** Reason the document went to LibreOffice, or `None` when Word converted it. */
  readonly fallbackReason: Option.Option<string>
}

/** A ZIP archive, which every DOCX is, starts with the local file header signature "PK\x03\x04". */
const hasZipSignature = (bytes: Uint8Array): boolean =>
  bytes.byteLength >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04

/** Builds the router over the Word worker and LibreOffice. */
const make = Effect.gen(function* () {
  const libreOffice = yield* LibreOfficeConverter
  const heartbeat = yield* WordWorkerHeartbeat
  const transport = yield* WordWorkerTransport
  const config = yield* WordWorkerConfig
  // Local time in milliseconds before which conversions skip the Word worker.
  const wordSkippedUntil = yield* Ref.make(0)

  /** Reason not to send the next document to the Word worker, or `None` to send it. */
  const reasonToSkipWord = Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    const skippedUntil = yield* Ref.get(wordSkippedUntil)
    if (now < skippedUntil) {
      return Option.some(
        `A Word conversion timed out less than DOCSERVER_WORD_BACKOFF (${Duration.format(config.backoffAfterTimeout)}) ago, so the Word worker is skipped until ${new Date(skippedUntil).toISOString()}.`
      )
    }
    return yield* heartbeat.check.pipe(
      Effect.as(Option.none<string>()),
      Effect.catchTag("WordWorkerUnavailable", (error) => Effect.succeedSome(error.message))
    )
  })

  const convertWithLibreOffice = (docx: Uint8Array, wordConversionId: Option.Option<string>, reason: string) =>
    libreOffice.convert(docx).pipe(
      Effect.map(
        (pdf): EngineConversion => ({
          pdf,
          engine: "libreoffice",
          wordConversionId,
          fallbackReason: Option.some(reason)
        })
      )
    )

  /** Sends `docx` to the Word worker, and to LibreOffice when that fails or times out. */
  const convertWithWordFirst = (docx: Uint8Array) =>
    transport.convert(docx).pipe(
      Effect.map(
        (word): EngineConversion => ({
          pdf: word.pdf,
          engine: "word",
          wordConversionId: Option.some(word.conversionId),
          fallbackReason: Option.none()
        })
      ),
      Effect.catchAll((error) =>
        Effect.gen(function* () {
          yield* Effect.logWarning("Word conversion failed, converting with LibreOffice").pipe(
            Effect.annotateLogs({ conversionId: error.conversionId, error: error._tag, reason: error.message })
          )
          if (error._tag === "WordConversionTimedOut" && !Duration.isZero(config.backoffAfterTimeout)) {
            const skippedUntil = (yield* Clock.currentTimeMillis) + Duration.toMillis(config.backoffAfterTimeout)
            yield* Ref.set(wordSkippedUntil, skippedUntil)
            yield* Effect.logWarning("Word worker skipped after a timeout").pipe(
              Effect.annotateLogs({ conversionId: error.conversionId, until: new Date(skippedUntil).toISOString() })
            )
          }
          return yield* convertWithLibreOffice(docx, Option.some(error.conversionId), error.message)
        })
      )
    )

  const convertWithEngine = Effect.fn("DocServerConverter.convertWithEngine")(function* (docx: Uint8Array) {
    yield* Effect.annotateCurrentSpan({ inputBytes: docx.byteLength })
    if (!hasZipSignature(docx)) {
      return yield* new ConversionFailed({
        message: `Input is not a DOCX file: a DOCX is a ZIP archive starting with "PK\\x03\\x04" (got ${docx.byteLength} bytes without that signature)`,
        exitCode: null,
        stderrTail: "",
        cause: undefined
      })
    }

    const skipReason = yield* reasonToSkipWord
    const result = Option.isSome(skipReason)
      ? yield* convertWithLibreOffice(docx, Option.none(), skipReason.value)
      : yield* convertWithWordFirst(docx)

    yield* Effect.logInfo("PDF converted").pipe(
      Effect.annotateLogs({
        engine: result.engine,
        outputBytes: result.pdf.byteLength,
        conversionId: Option.getOrElse(result.wordConversionId, () => "none"),
        fallbackReason: Option.getOrElse(result.fallbackReason, () => "none")
      })
    )
    return result
  })

  return { convertWithEngine }
})

/** Converts DOCX to PDF on the Word worker or LibreOffice, and reports which one did. */
export class DocServerConverter extends Context.Tag("@pw/documents/DocServerConverter")<
  DocServerConverter,
  {
    /**
     * Converts one DOCX to PDF. While the heartbeat is fresh (see
     * `WordWorkerHeartbeat`) the document goes to the Word worker. When the
     * heartbeat is stale or missing, when Word fails or exceeds
     * `DOCSERVER_WORD_TIMEOUT`, and for `DOCSERVER_WORD_BACKOFF` after such a
     * timeout, LibreOffice converts it. Fails only with LibreOffice's errors,
     * or with `ConversionFailed` at once for input that is not a ZIP archive.
     */
    readonly convertWithEngine: (
      docx: Uint8Array
    ) => Effect.Effect<EngineConversion, ConversionFailed | ConversionTimedOut>
  }
>() {
  /**
   * The router configured from the environment (see `WordWorkerConfig.layer`),
   * on the bucket of `ObjectStore` and the given `LibreOfficeConverter`. It
   * also provides `PdfConverter`, whose `convert` is `convertWithEngine`
   * without the engine.
   */
  static readonly layer: Layer.Layer<
    DocServerConverter | PdfConverter,
    ConfigError.ConfigError,
    LibreOfficeConverter | ObjectStore
  > = Layer.effect(
    PdfConverter,
    Effect.map(DocServerConverter, (router) => ({
      convert: (docx: Uint8Array) => Effect.map(router.convertWithEngine(docx), (result) => result.pdf)
    }))
  ).pipe(
    Layer.provideMerge(Layer.effect(DocServerConverter, make)),
    Layer.provide(Layer.mergeAll(WordWorkerHeartbeat.layer, WordWorkerTransport.layer)),
    Layer.provide(WordWorkerConfig.layer)
  )

  /**
   * `layer` on this machine's warm LibreOffice pool, as a docserver runner
   * uses it. When LibreOffice fails to start, the runner still starts and
   * converts through the Word worker while its heartbeat is fresh (see
   * `LibreOfficeStartFailure.tolerate`).
   */
  static readonly runnerLayer: Layer.Layer<DocServerConverter | PdfConverter, ConfigError.ConfigError, ObjectStore> =
    DocServerConverter.layer.pipe(Layer.provide(LibreOfficeStartFailure.tolerate(LibreOfficeConverter.layer)))
}
