/**
 * Wire format between Node.js and the UNO helper
 * (packages/documents/uno/convert_server.py), one JSON object per line:
 * requests on the helper's stdin, a "ready" line and replies on its stdout.
 * Change both files together.
 */
import { createRequire } from "node:module"
import * as Path from "node:path"
import { Schema } from "effect"

/** Path of the helper script, run with a Python that has the UNO bridge. */
export const helperScriptPath = Path.join(
  Path.dirname(createRequire(import.meta.url).resolve("@pw/documents/package.json")),
  "uno/convert_server.py"
)

/** Command-line arguments of the helper. */
export const helperArguments = (options: {
  readonly pipeName: string
  readonly sofficeProcessGroup: number
  readonly connectTimeoutSeconds: number
}): ReadonlyArray<string> => [
  helperScriptPath,
  "--pipe",
  options.pipeName,
  "--soffice-pgid",
  String(options.sofficeProcessGroup),
  "--connect-timeout",
  String(options.connectTimeoutSeconds)
]

/** One conversion request: absolute paths of the DOCX to read and the PDF to write. */
export const ConvertRequest = Schema.Struct({
  id: Schema.String,
  input: Schema.String,
  output: Schema.String
})

/** Type of `ConvertRequest`. */
export type ConvertRequest = typeof ConvertRequest.Type

/** First line of a started helper: connected to soffice and warmed up. */
export const Ready = Schema.Struct({
  type: Schema.Literal("ready"),
  warmUpMillis: Schema.Number
})

/** The request with this id produced the PDF at its output path. */
export const Converted = Schema.Struct({
  type: Schema.Literal("converted"),
  id: Schema.String
})

/**
 * The request failed. `reason` is `"document"` when LibreOffice rejected the
 * input and the instance is still usable, `"instance"` when the instance
 * should be replaced. `id` is `null` when the request line was invalid.
 */
export const Failed = Schema.Struct({
  type: Schema.Literal("failed"),
  id: Schema.NullOr(Schema.String),
  reason: Schema.Literal("document", "instance"),
  message: Schema.String
})

/** Any line the helper writes to stdout. */
export const HelperMessage = Schema.Union(Ready, Converted, Failed)

/** Type of `HelperMessage`. */
export type HelperMessage = typeof HelperMessage.Type

/** Encodes a request as one line, line break included. */
export const encodeRequest = (request: ConvertRequest): string => `${JSON.stringify(request)}\n`

/** Parses one stdout line of the helper. */
export const decodeMessage = Schema.decodeUnknown(Schema.parseJson(HelperMessage))
