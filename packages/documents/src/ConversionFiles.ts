/**
 * Input checks and the temporary work directory of one DOCX to PDF
 * conversion, shared by the LibreOffice converters.
 */
import * as Fs from "node:fs/promises"
import * as Os from "node:os"
import * as Path from "node:path"
import { Duration, Effect } from "effect"
import type { Scope } from "effect"
import { ConversionFailed } from "./ConversionErrors.ts"

/** Maximum time to remove a conversion's temporary directory. */
const cleanupTimeout = Duration.seconds(10)

/** Prefix of the work directories under the system temp directory. */
export const workDirectoryPrefix = "pw-pdf-"

/** LibreOffice filter name for Office Open XML text documents (.docx). */
export const docxImportFilter = "MS Word 2007 XML"

/** Whether `bytes` starts with the ZIP local file header signature "PK\x03\x04", as every DOCX does. */
export const hasZipSignature = (bytes: Uint8Array): boolean =>
  bytes.byteLength >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04

/** Whether `bytes` starts with "%PDF-", the header of every PDF file. */
export const hasPdfSignature = (bytes: Uint8Array): boolean =>
  bytes.byteLength >= 5 && new TextDecoder().decode(bytes.subarray(0, 5)) === "%PDF-"

/** The error for an input without the ZIP signature, raised before LibreOffice is involved. */
export const notDocx = (docx: Uint8Array): ConversionFailed =>
  new ConversionFailed({
    message: `Input is not a DOCX file: a DOCX is a ZIP archive starting with "PK\\x03\\x04" (got ${docx.byteLength} bytes without that signature)`,
    exitCode: null,
    stderrTail: "",
    cause: undefined
  })

/** A fresh `pw-pdf-*` directory under the system temp directory, removed with its contents when the scope closes. */
export const temporaryDirectory: Effect.Effect<string, ConversionFailed, Scope.Scope> = Effect.acquireRelease(
  Effect.tryPromise({
    try: () => Fs.mkdtemp(Path.join(Os.tmpdir(), workDirectoryPrefix)),
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

/** Writes the DOCX to `path`, failing with `ConversionFailed` naming the path. */
export const writeInput = Effect.fn("ConversionFiles.writeInput")(function* (path: string, docx: Uint8Array) {
  yield* Effect.tryPromise({
    try: () => Fs.writeFile(path, docx),
    catch: (cause) =>
      new ConversionFailed({
        message: `Failed to write the DOCX to ${path}: ${String(cause)}`,
        exitCode: null,
        stderrTail: "",
        cause
      })
  })
})
