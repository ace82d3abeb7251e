/**
 * Errors of a DOCX to PDF conversion, shared by every converter
 * implementation and re-exported by `PdfConverter`.
 */
import { Schema } from "effect"

/** LibreOffice ran but produced no PDF, or could not be started. */
export class ConversionFailed extends Schema.TaggedError<ConversionFailed>()("ConversionFailed", {
  message: Schema.String,
  /** soffice exit code, or `null` when it was not started, a signal ended it, or it is still running. */
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
