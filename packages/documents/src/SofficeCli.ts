/**
 * DOCX to PDF conversion with one cold `soffice --convert-to pdf` process
 * per document. Slower than the warm `LibreOfficePool` by the start-up of
 * LibreOffice on every conversion, and kept as the baseline of
 * bench/conversion.ts and as a fallback that needs no UNO bridge.
 */
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import * as Url from "node:url"
import { Duration, Effect, Layer, Queue } from "effect"
import { ConversionFailed, ConversionTimedOut } from "./ConversionErrors.ts"
import { docxImportFilter, hasZipSignature, notDocx, temporaryDirectory, writeInput } from "./ConversionFiles.ts"
import { LibreOfficeConverter } from "./LibreOfficeConverter.ts"
import { PdfConverterConfig } from "./PdfConverterConfig.ts"
import * as SofficeProcess from "./SofficeProcess.ts"

/**
 * Finds soffice, creates the `profile-<i>` directories and returns the
 * converter. Each conversion waits for a free profile when
 * `DOCSERVER_CONCURRENCY` conversions are already running, and its
 * `DOCSERVER_TIMEOUT` limit counts from the start of soffice, not the wait.
 */
export const make = Effect.gen(function* () {
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

  yield* Effect.logInfo("soffice command-line converter ready").pipe(
    Effect.annotateLogs({
      soffice: binary,
      concurrency: config.concurrency,
      timeout: Duration.format(config.timeout),
      profilesDirectory: config.profilesDirectory
    })
  )

  const convert = Effect.fn("SofficeCli.convert")(
    function* (docx: Uint8Array) {
      yield* Effect.annotateCurrentSpan({ inputBytes: docx.byteLength })
      if (!hasZipSignature(docx)) {
        return yield* notDocx(docx)
      }

      const profile = yield* borrowProfile
      const workDirectory = yield* temporaryDirectory
      const inputPath = Path.join(workDirectory, "in.docx")
      const outputPath = Path.join(workDirectory, "in.pdf")
      yield* writeInput(inputPath, docx)

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

  return LibreOfficeConverter.of({ convert })
})

/**
 * `LibreOfficeConverter` with one soffice process per document, configured
 * by `PdfConverterConfig`. Fails with `SofficeNotFound`, naming the install
 * command, when LibreOffice is not installed.
 */
export const layer: Layer.Layer<LibreOfficeConverter, SofficeProcess.SofficeNotFound, PdfConverterConfig> =
  Layer.effect(LibreOfficeConverter, make)
