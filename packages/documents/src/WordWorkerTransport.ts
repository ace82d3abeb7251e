/**
 * DOCX to PDF conversion by the Word worker, through the object-storage
 * protocol in `WordWorkerProtocol`: upload the DOCX, poll for the PDF, read
 * it, and remove both objects.
 */
import * as Crypto from "node:crypto"
import { ObjectStore } from "@pw/storage/ObjectStore"
import { Clock, Context, Duration, Effect, Layer, Option, Schedule, Schema } from "effect"
import { WordWorkerConfig } from "./WordWorkerConfig.ts"
import * as WordWorkerProtocol from "./WordWorkerProtocol.ts"

/** Objects of one Word conversion. */
const conversionFields = {
  /** UUID of the conversion attempt, which names both objects. */
  conversionId: Schema.String,
  toConvertKey: Schema.String,
  convertedKey: Schema.String
}

/** The Word worker did not return the PDF within `DOCSERVER_WORD_TIMEOUT`. */
export class WordConversionTimedOut extends Schema.TaggedError<WordConversionTimedOut>()("WordConversionTimedOut", {
  ...conversionFields,
  message: Schema.String,
  timeout: Schema.DurationFromSelf
}) {}

/** The upload or the read failed, or the Word worker returned something other than a PDF. */
export class WordConversionFailed extends Schema.TaggedError<WordConversionFailed>()("WordConversionFailed", {
  ...conversionFields,
  message: Schema.String,
  cause: Schema.Defect
}) {}

/** A PDF returned by the Word worker. */
export interface WordConversion {
  readonly conversionId: string
  readonly pdf: Uint8Array
}

/** Every PDF file starts with the header "%PDF-" (ISO 32000-1, section 7.5.2). */
const hasPdfSignature = (bytes: Uint8Array): boolean =>
  bytes.byteLength >= 5 &&
  bytes[0] === 0x25 &&
  bytes[1] === 0x50 &&
  bytes[2] === 0x44 &&
  bytes[3] === 0x46 &&
  bytes[4] === 0x2d

/** The first bytes of `bytes` as printable text, for error messages. */
const preview = (bytes: Uint8Array): string =>
  JSON.stringify(Buffer.from(bytes.subarray(0, 16)).toString("latin1"))

/** Removes `key`, logging a failure instead of raising it, because cleanup must not fail a conversion. */
const removeQuietly = (store: ObjectStore["Type"], key: string) =>
  store.remove(key).pipe(
    Effect.catchAll((error) =>
      Effect.logWarning("Failed to remove a Word conversion object").pipe(
        Effect.annotateLogs({ key, error: error._tag, reason: error.message })
      )
    )
  )

/**
 * Removes the `to-convert/` and `converted/` objects whose last-modified time
 * is more than `olderThan` before now on the local clock, and returns their
 * keys. Objects of conversions still waiting are younger than
 * `DOCSERVER_WORD_TIMEOUT`, so an `olderThan` above it leaves them alone.
 */
export const removeAbandoned = Effect.fn("WordWorkerTransport.removeAbandoned")(function* (
  store: ObjectStore["Type"],
  olderThan: Duration.Duration
) {
  const toConvert = yield* store.list(WordWorkerProtocol.toConvertPrefix)
  const converted = yield* store.list(WordWorkerProtocol.convertedPrefix)
  const cutoff = (yield* Clock.currentTimeMillis) - Duration.toMillis(olderThan)
  const removed: Array<string> = []
  for (const key of [...toConvert, ...converted]) {
    const stat = yield* store.stat(key)
    if (Option.isSome(stat) && stat.value.lastModified.getTime() <= cutoff) {
      yield* store.remove(key)
      yield* Effect.logInfo("Abandoned Word conversion object removed").pipe(
        Effect.annotateLogs({ key, lastModified: stat.value.lastModified.toISOString() })
      )
      removed.push(key)
    }
  }
  return removed
})

/** Builds `convert` and starts the periodic removal of abandoned objects. */
const make = Effect.gen(function* () {
  const store = yield* ObjectStore
  const config = yield* WordWorkerConfig

  if (config.enabled) {
    // A PDF the worker uploads after its conversion timed out is never read,
    // and neither is the DOCX of a docserver that crashed while it waited.
    // Twice the time limit keeps clear of conversions in flight.
    const abandonedAge = Duration.times(config.timeout, 2)
    yield* removeAbandoned(store, abandonedAge).pipe(
      Effect.catchAll((error) =>
        Effect.logWarning("Failed to remove abandoned Word conversion objects").pipe(
          Effect.annotateLogs({ error: error._tag, reason: error.message })
        )
      ),
      Effect.repeat(Schedule.spaced(config.timeout)),
      Effect.forkScoped
    )
  }

  const convert = Effect.fn("WordWorkerTransport.convert")(function* (docx: Uint8Array) {
    const conversionId = Crypto.randomUUID()
    const toConvertKey = WordWorkerProtocol.toConvertKey(conversionId)
    const convertedKey = WordWorkerProtocol.convertedKey(conversionId)
    const keys = { conversionId, toConvertKey, convertedKey }
    yield* Effect.annotateCurrentSpan({ ...keys, inputBytes: docx.byteLength })
    const fail = (message: string, cause: unknown) => new WordConversionFailed({ ...keys, message, cause })

    const exchange = Effect.gen(function* () {
      yield* store.put(toConvertKey, docx, WordWorkerProtocol.docxContentType).pipe(
        Effect.mapError((error) =>
          fail(
            `Failed to upload the DOCX of Word conversion ${conversionId} to "${toConvertKey}": ${error.message}`,
            error
          )
        )
      )
      yield* Effect.logInfo("Word conversion started").pipe(Effect.annotateLogs({ inputBytes: docx.byteLength }))

      const pdf = yield* store.get(convertedKey).pipe(
        Effect.retry({
          while: (error) => error._tag === "ObjectNotFound",
          schedule: Schedule.spaced(config.pollInterval)
        }),
        Effect.mapError((error) =>
          fail(
            `Failed to read the PDF of Word conversion ${conversionId} from "${convertedKey}": ${error.message}`,
            error
          )
        )
      )
      if (!hasPdfSignature(pdf)) {
        return yield* fail(
          `The Word worker stored "${convertedKey}" for conversion ${conversionId}, but it is not a PDF: it starts with ${preview(pdf)} instead of "%PDF-" (${pdf.byteLength} bytes). Check the worker's log for this id.`,
          undefined
        )
      }
      return pdf
    })

    const startedAt = yield* Clock.currentTimeMillis
    const pdf = yield* exchange.pipe(
      Effect.annotateLogs(keys),
      Effect.timeoutFail({
        duration: config.timeout,
        onTimeout: () =>
          new WordConversionTimedOut({
            ...keys,
            message: `The Word worker did not store "${convertedKey}" for conversion ${conversionId} within DOCSERVER_WORD_TIMEOUT (${Duration.format(config.timeout)}), so "${toConvertKey}" is removed. Check that the worker is running and can reach the bucket.`,
            timeout: config.timeout
          })
      }),
      Effect.ensuring(Effect.all([removeQuietly(store, toConvertKey), removeQuietly(store, convertedKey)]))
    )
    const finishedAt = yield* Clock.currentTimeMillis
    yield* Effect.logInfo("Word conversion finished").pipe(
      Effect.annotateLogs({ ...keys, outputBytes: pdf.byteLength, durationMillis: finishedAt - startedAt })
    )
    return { conversionId, pdf } satisfies WordConversion
  })

  return { convert }
})

/** Converts DOCX to PDF on the Word worker, through the bucket. */
export class WordWorkerTransport extends Context.Tag("@pw/documents/WordWorkerTransport")<
  WordWorkerTransport,
  {
    /**
     * Uploads `docx` to `to-convert/{id}.docx` under a fresh UUID, polls
     * `converted/{id}.pdf` every `DOCSERVER_WORD_POLL_INTERVAL`, and returns
     * it once it starts with "%PDF-". Fails with `WordConversionTimedOut`
     * after `DOCSERVER_WORD_TIMEOUT`, and with `WordConversionFailed` on an S3
     * error or a non-PDF result. Removes both objects in every case,
     * interruption included. It does not check the worker's heartbeat.
     */
    readonly convert: (docx: Uint8Array) => Effect.Effect<WordConversion, WordConversionTimedOut | WordConversionFailed>
  }
>() {
  /**
   * The transport on the bucket of `ObjectStore`. While
   * `DOCSERVER_WORD_ENABLED` is true it also runs `removeAbandoned` with
   * twice `DOCSERVER_WORD_TIMEOUT` when it starts and every
   * `DOCSERVER_WORD_TIMEOUT` after, until the layer is released.
   */
  static readonly layer: Layer.Layer<WordWorkerTransport, never, ObjectStore | WordWorkerConfig> = Layer.scoped(
    WordWorkerTransport,
    make
  )
}
