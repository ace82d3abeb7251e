/**
 * DOCX to PDF conversion with headless LibreOffice, one `soffice` process
 * per conversion.
 */
import * as Fs from "node:fs/promises"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Url from "node:url"
import { Config, Context, Duration, Effect, Layer, Option, Queue, Schema } from "effect"
import type { ConfigError } from "effect"
import * as SofficeProcess from "./SofficeProcess.ts"

/** Maximum time to remove a conversion's temporary directory. */
const cleanupTimeout = Duration.seconds(10)

/** LibreOffice filter name for Office Open XML text documents (.docx). */
const docxImportFilter = "MS Word 2007 XML"

/** LibreOffice ran but produced no PDF, or could not be started. */
export class ConversionFailed extends Schema.TaggedError<ConversionFailed>()("ConversionFailed", {
  message: Schema.String,
  /** soffice exit code, or `null` when it was not started or a signal ended it. */
  exitCode: Schema.NullOr(Schema.Number),
  /** Last characters LibreOffice wrote to stderr, empty when it was not started. */
  stderrTail: Schema.String,
  cause: Schema.Defect
}) {}

/** The conversion ran longer than `DOCSERVER_TIMEOUT`, and its soffice process group was killed. */
export class ConversionTimedOut extends Schema.TaggedError<ConversionTimedOut>()("ConversionTimedOut", {
  message: Schema.String,
  timeout: Schema.DurationFromSelf,
  stderrTail: Schema.String
}) {}

/** Settings of the converter, read by `PdfConverterConfig.layer` from the environment. */
export class PdfConverterConfig extends Context.Tag("@pw/documents/PdfConverterConfig")<
  PdfConverterConfig,
  {
    /** Path of the soffice binary, or `None` to search PATH and the usual install locations. */
    readonly sofficePath: Option.Option<string>
    /** Number of conversions that may run at once, each with its own LibreOffice profile. */
    readonly concurrency: number
    /** Time limit of one soffice run. */
    readonly timeout: Duration.Duration
    /** Directory containing the `profile-<i>` LibreOffice profiles (`<PW_DATA_DIR>/libreoffice`). */
    readonly profilesDirectory: string
  }
>() {
  /** Reads `SOFFICE_PATH`, `DOCSERVER_CONCURRENCY`, `DOCSERVER_TIMEOUT` and `PW_DATA_DIR`. */
  static readonly layer: Layer.Layer<PdfConverterConfig, ConfigError.ConfigError> = Layer.effect(
    PdfConverterConfig,
    Effect.gen(function* () {
      const sofficePath = yield* Config.option(
        Config.nonEmptyString("SOFFICE_PATH").pipe(
          Config.withDescription(
            "Path of the LibreOffice soffice binary. When unset, PATH, /usr/bin/soffice and /usr/lib/libreoffice/program/soffice are searched."
          )
        )
      )
      const concurrency = yield* Config.integer("DOCSERVER_CONCURRENCY").pipe(
        Config.withDefault(1),
        Config.validate({ message: "DOCSERVER_CONCURRENCY must be at least 1", validation: (value) => value >= 1 }),
        Config.withDescription(
          "Number of PDF conversions that may run at once. Each has its own LibreOffice profile and soffice process."
        )
      )
      const timeout = yield* Config.duration("DOCSERVER_TIMEOUT").pipe(
        Config.withDefault(Duration.seconds(120)),
        Config.withDescription(
          'Time limit of one PDF conversion, for example "120 seconds". soffice is killed when it passes.'
        )
      )
      const dataDirectory = yield* Config.string("PW_DATA_DIR").pipe(
        Config.withDefault("var"),
        Config.withDescription(
          "Directory for local state. LibreOffice profiles are kept in its libreoffice/ subdirectory."
        )
      )
      return {
        sofficePath,
        concurrency,
        timeout,
        profilesDirectory: Path.resolve(dataDirectory, "libreoffice")
      }
    })
  )
}

/** A ZIP archive, which every DOCX is, starts with the local file header signature "PK\x03\x04". */
const hasZipSignature = (bytes: Uint8Array): boolean =>
  bytes.byteLength >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04

/** A fresh directory under the system temp directory, removed with its contents when the scope closes. */
const temporaryDirectory = Effect.acquireRelease(
  Effect.tryPromise({
    try: () => Fs.mkdtemp(Path.join(Os.tmpdir(), "pw-pdf-")),
    catch: (cause) =>
      new ConversionFailed({
        message: `Failed to create a temporary directory for the conversion: ${String(cause)}`,
        exitCode: null,
        stderrTail: "",
        cause
      })
  }),
  (directory) =>
    Effect.tryPromise(() => Fs.rm(directory, { recursive: true, force: true })).pipe(
      Effect.timeout(cleanupTimeout),
      Effect.catchAll((error) =>
        Effect.logWarning("Failed to remove conversion directory", error).pipe(Effect.annotateLogs({ directory }))
      )
    )
)

/** Finds soffice, creates the profile directories and returns the `convert` function. */
const make = Effect.gen(function* () {
  const config = yield* PdfConverterConfig
  const binary = yield* SofficeProcess.locate(config.sofficePath)

  // LibreOffice fails when two processes use one profile at the same time, so
  // each running conversion takes a profile from this queue and returns it
  // afterwards. The queue also limits conversions to `concurrency`.
  // NOTE: two processes with the same PW_DATA_DIR would still share profiles.
  const profileDirectories = Array.from({ length: config.concurrency }, (_, index) =>
    Path.join(config.profilesDirectory, `profile-${index}`)
  )
  yield* Effect.forEach(profileDirectories, (directory) =>
    Effect.tryPromise({
      try: () => Fs.mkdir(directory, { recursive: true }),
      catch: (cause) => new Error(`Failed to create LibreOffice profile directory ${directory}: ${String(cause)}`)
    })
  ).pipe(Effect.orDie)
  const idleProfiles = yield* Queue.bounded<string>(config.concurrency)
  yield* Queue.offerAll(idleProfiles, profileDirectories)
  const borrowProfile = Effect.acquireRelease(Queue.take(idleProfiles), (directory) =>
    Queue.offer(idleProfiles, directory)
  )

  yield* Effect.logInfo("PDF converter ready").pipe(
    Effect.annotateLogs({
      soffice: binary,
      concurrency: config.concurrency,
      timeout: Duration.format(config.timeout),
      profilesDirectory: config.profilesDirectory
    })
  )

  const convert = Effect.fn("PdfConverter.convert")(
    function* (docx: Uint8Array) {
      yield* Effect.annotateCurrentSpan({ inputBytes: docx.byteLength })
      if (!hasZipSignature(docx)) {
        return yield* new ConversionFailed({
          message: `Input is not a DOCX file: a DOCX is a ZIP archive starting with "PK\\x03\\x04" (got ${docx.byteLength} bytes without that signature)`,
          exitCode: null,
          stderrTail: "",
          cause: undefined
        })
      }

      const profile = yield* borrowProfile
      const workDirectory = yield* temporaryDirectory
      const inputPath = Path.join(workDirectory, "in.docx")
      const outputPath = Path.join(workDirectory, "in.pdf")
      yield* Effect.tryPromise({
        try: () => Fs.writeFile(inputPath, docx),
        catch: (cause) =>
          new ConversionFailed({
            message: `Failed to write the DOCX to ${inputPath}: ${String(cause)}`,
            exitCode: null,
            stderrTail: "",
            cause
          })
      })

      const startedAt = Date.now()
      yield* Effect.logInfo("PDF conversion started").pipe(
        Effect.annotateLogs({ inputBytes: docx.byteLength, profile })
      )
      const exit = yield* SofficeProcess.run(
        binary,
        [
          `-env:UserInstallation=${Url.pathToFileURL(profile).href}`,
          "--headless",
          "--norestore",
          // Without a forced import filter, LibreOffice opens a non-DOCX file
          // as plain text and converts it without complaint.
          `--infilter=${docxImportFilter}`,
          "--convert-to",
          "pdf",
          "--outdir",
          workDirectory,
          inputPath
        ],
        config.timeout
      ).pipe(
        Effect.catchTags({
          SofficeStartFailed: (error) =>
            new ConversionFailed({ message: error.message, exitCode: null, stderrTail: "", cause: error }),
          SofficeTimedOut: (error) =>
            new ConversionTimedOut({
              message: `PDF conversion timed out after ${Duration.format(error.timeout)} (DOCSERVER_TIMEOUT), so soffice was killed. LibreOffice stderr: ${error.stderrTail.trim()}`,
              timeout: error.timeout,
              stderrTail: error.stderrTail
            })
        })
      )

      // soffice (LibreOffice 7.4) exits with 0 when it cannot load the input,
      // so a missing output file is the reliable failure signal.
      const pdf = yield* Effect.tryPromise({
        try: () => Fs.readFile(outputPath),
        catch: (cause) =>
          new ConversionFailed({
            message: `LibreOffice produced no PDF (exit code ${String(exit.exitCode)}${exit.signal === null ? "" : `, signal ${exit.signal}`}). LibreOffice stderr: ${exit.stderrTail.trim()}`,
            exitCode: exit.exitCode,
            stderrTail: exit.stderrTail,
            cause
          })
      })
      if (pdf.byteLength === 0) {
        return yield* new ConversionFailed({
          message: `LibreOffice produced an empty PDF (exit code ${String(exit.exitCode)}). LibreOffice stderr: ${exit.stderrTail.trim()}`,
          exitCode: exit.exitCode,
          stderrTail: exit.stderrTail,
          cause: undefined
        })
      }

      yield* Effect.logInfo("PDF conversion finished").pipe(
        Effect.annotateLogs({
          inputBytes: docx.byteLength,
          outputBytes: pdf.byteLength,
          durationMillis: Date.now() - startedAt,
          profile
        })
      )
      return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength)
    },
    Effect.scoped,
    (effect, docx) =>
      Effect.tapError(effect, (error) =>
        Effect.logWarning("PDF conversion failed").pipe(
          Effect.annotateLogs({ error: error._tag, reason: error.message, inputBytes: docx.byteLength })
        )
      )
  )

  return { convert }
})

/** Converts DOCX documents to PDF. */
export class PdfConverter extends Context.Tag("@pw/documents/PdfConverter")<
  PdfConverter,
  {
    /**
     * Converts one DOCX to PDF. Waits for a free LibreOffice profile when
     * `DOCSERVER_CONCURRENCY` conversions are already running. The
     * `DOCSERVER_TIMEOUT` limit counts from the start of soffice, not the wait.
     */
    readonly convert: (docx: Uint8Array) => Effect.Effect<Uint8Array, ConversionFailed | ConversionTimedOut>
  }
>() {
  /**
   * The converter configured from the environment (see
   * `PdfConverterConfig.layer`). Fails with `SofficeNotFound`, naming the
   * install command, when LibreOffice is not installed.
   */
  static readonly layer: Layer.Layer<PdfConverter, SofficeProcess.SofficeNotFound | ConfigError.ConfigError> =
    Layer.effect(PdfConverter, make).pipe(Layer.provide(PdfConverterConfig.layer))
}
