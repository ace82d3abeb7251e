/**
 * DOCX to PDF conversion on a pool of warm, long-lived LibreOffice
 * instances, each driven over UNO by its own Python helper.
 */
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { Context, Duration, Effect, Either, ExecutionStrategy, Layer, Queue, Scope } from "effect"
import { ConversionFailed, ConversionTimedOut } from "./ConversionErrors.ts"
import { hasPdfSignature, hasZipSignature, notDocx, temporaryDirectory, writeInput } from "./ConversionFiles.ts"
import { InstanceFailed } from "./LibreOfficeInstance.ts"
import type { DocumentRejected, InstanceTimedOut, LibreOfficeStartFailed } from "./LibreOfficeInstance.ts"
import * as LibreOfficeSlot from "./LibreOfficeSlot.ts"
import { PdfConverterConfig } from "./PdfConverterConfig.ts"
import * as SofficeProcess from "./SofficeProcess.ts"

/** Failure of one attempt on one instance. */
type AttemptError = DocumentRejected | InstanceFailed | InstanceTimedOut | LibreOfficeStartFailed

/** Reads the PDF the helper reported as written, failing with `InstanceFailed` when it is missing or not a PDF. */
const readPdf = (path: string): Effect.Effect<Uint8Array, InstanceFailed> =>
  Effect.gen(function* () {
    const pdf = yield* Effect.tryPromise({
      try: () => Fs.readFile(path),
      catch: (cause) =>
        new InstanceFailed({
          message: `LibreOffice reported the conversion as done but wrote no file at ${path}: ${String(cause)}`,
          exitCode: null,
          outputTail: ""
        })
    })
    if (!hasPdfSignature(pdf)) {
      return yield* new InstanceFailed({
        message: `LibreOffice reported the conversion as done but ${path} is not a PDF (${pdf.byteLength} bytes without a "%PDF-" header)`,
        exitCode: null,
        outputTail: ""
      })
    }
    return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength)
  })

const isInstanceError = (error: AttemptError): error is InstanceFailed | InstanceTimedOut =>
  error._tag === "InstanceFailed" || error._tag === "InstanceTimedOut"

/** Turns the error of the last attempt into the converter's public error. */
const conversionError = (error: AttemptError, retried: boolean): ConversionFailed | ConversionTimedOut => {
  const attempts = retried ? "twice, the second time on a fresh instance" : "once"
  switch (error._tag) {
    case "DocumentRejected":
      return new ConversionFailed({ message: error.message, exitCode: null, stderrTail: "", cause: error })
    case "LibreOfficeStartFailed":
      return new ConversionFailed({ message: error.message, exitCode: null, stderrTail: error.outputTail, cause: error })
    case "InstanceFailed":
      return new ConversionFailed({
        message: `PDF conversion failed ${attempts}, and each failed LibreOffice instance was killed: ${error.message}. LibreOffice output: ${error.outputTail}`,
        exitCode: error.exitCode,
        stderrTail: error.outputTail,
        cause: error
      })
    case "InstanceTimedOut":
      return new ConversionTimedOut({
        message: `PDF conversion timed out after ${Duration.format(error.timeout)} (DOCSERVER_TIMEOUT) ${attempts}, and each LibreOffice instance was killed. Raise DOCSERVER_TIMEOUT if the document is very large.`,
        timeout: error.timeout,
        stderrTail: error.outputTail
      })
  }
}

/** Builds the pool: finds soffice, starts every instance and returns the service. */
const make = Effect.gen(function* () {
  const config = yield* PdfConverterConfig
  const soffice = yield* SofficeProcess.locate(config.sofficePath)
  const poolScope = yield* Effect.scope

  // Finalizers of a scope run in reverse order: watchers stop before instances are killed.
  const instances = yield* Scope.fork(poolScope, ExecutionStrategy.sequential)
  const watchers = yield* Scope.fork(poolScope, ExecutionStrategy.sequential)
  const slots = yield* Effect.forEach(Array.from({ length: config.poolSize }, (_, index) => index), (index) =>
    LibreOfficeSlot.make(
      index,
      {
        soffice,
        python: config.pythonPath,
        profileDirectory: Path.join(config.profilesDirectory, `pool-${index}`),
        startTimeout: config.startTimeout
      },
      { instances, watchers }
    )
  )
  yield* Effect.forEach(slots, (slot) => slot.start, { concurrency: "unbounded", discard: true })

  const idleSlots = yield* Queue.bounded<LibreOfficeSlot.LibreOfficeSlot>(config.poolSize)
  yield* Queue.offerAll(idleSlots, slots)
  const takeSlot = Effect.acquireRelease(Queue.take(idleSlots), (slot) => Queue.offer(idleSlots, slot))

  yield* Effect.logInfo("LibreOffice pool ready").pipe(
    Effect.annotateLogs({
      soffice,
      python: config.pythonPath,
      poolSize: config.poolSize,
      timeout: Duration.format(config.timeout),
      profilesDirectory: config.profilesDirectory
    })
  )

  const convert = Effect.fn("LibreOfficePool.convert")(
    function* (docx: Uint8Array) {
      yield* Effect.annotateCurrentSpan({ inputBytes: docx.byteLength })
      if (!hasZipSignature(docx)) {
        return yield* notDocx(docx)
      }

      const workDirectory = yield* temporaryDirectory
      const inputPath = Path.join(workDirectory, "in.docx")
      const outputPath = Path.join(workDirectory, "out.pdf")
      yield* writeInput(inputPath, docx)

      const slot = yield* takeSlot
      const startedAt = Date.now()
      const attempt = slot.run((instance) =>
        instance.convert(inputPath, outputPath, config.timeout).pipe(Effect.zipRight(readPdf(outputPath)))
      )

      let result = yield* Effect.either(attempt)
      let retried = false
      if (Either.isLeft(result) && isInstanceError(result.left)) {
        // `run` killed the failed instance, so the second attempt starts a fresh one in the same slot.
        yield* Effect.logWarning("PDF conversion failed on a LibreOffice instance, retrying on a fresh one").pipe(
          Effect.annotateLogs({ slot: slot.index, error: result.left._tag, reason: result.left.message })
        )
        result = yield* Effect.either(attempt)
        retried = true
      }
      if (Either.isLeft(result)) {
        return yield* conversionError(result.left, retried)
      }
      const pdf = result.right

      yield* Effect.logInfo("PDF conversion finished").pipe(
        Effect.annotateLogs({
          slot: slot.index,
          inputBytes: docx.byteLength,
          outputBytes: pdf.byteLength,
          durationMillis: Date.now() - startedAt
        })
      )
      return pdf
    },
    Effect.scoped,
    (effect, docx) =>
      Effect.tapError(effect, (error) =>
        Effect.logWarning("PDF conversion failed").pipe(
          Effect.annotateLogs({ error: error._tag, reason: error.message, inputBytes: docx.byteLength })
        )
      )
  )

  return LibreOfficePool.of({
    convert,
    instances: Effect.forEach(slots, (slot) => slot.status)
  })
})

/** A pool of warm LibreOffice instances converting DOCX to PDF, with diagnostics. */
export class LibreOfficePool extends Context.Tag("@pw/documents/LibreOfficePool")<
  LibreOfficePool,
  {
    /**
     * Converts one DOCX to PDF on the next free instance, waiting while all
     * `DOCSERVER_POOL_SIZE` instances are converting. An instance that
     * stops, fails or passes `DOCSERVER_TIMEOUT` (counted from the request
     * to the instance, not the wait) is killed and the conversion is retried
     * once on a fresh instance. A document LibreOffice rejects fails at once
     * with `ConversionFailed` and leaves the instance running.
     */
    readonly convert: (docx: Uint8Array) => Effect.Effect<Uint8Array, ConversionFailed | ConversionTimedOut>
    /** Status of every slot, in slot order, with the pids of its soffice and helper. */
    readonly instances: Effect.Effect<ReadonlyArray<LibreOfficeSlot.LibreOfficeInstanceStatus>>
  }
>() {
  /**
   * Starts `DOCSERVER_POOL_SIZE` instances with profiles
   * `<PW_DATA_DIR>/libreoffice/pool-<i>`, kept between runs. Fails with
   * `SofficeNotFound` when LibreOffice is not installed and with
   * `LibreOfficeStartFailed` when an instance does not start, for example
   * without python3-uno. Closing the layer kills every soffice and helper
   * process group of the pool.
   */
  static readonly layer: Layer.Layer<
    LibreOfficePool,
    SofficeProcess.SofficeNotFound | LibreOfficeStartFailed,
    PdfConverterConfig
  > = Layer.scoped(LibreOfficePool, make)
}
