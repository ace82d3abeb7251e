/**
 * The outcome of an import: the records stored, the rows skipped and why,
 * and the columns the reader did not use.
 */
import { LocalDate } from "@pw/domain/compliance/PlannedEntry"
import { Schema } from "effect"
import { Dataset, RowRejected } from "./ReadResult.ts"

/** How many rejected rows an import keeps in full; the count covers all of them. */
export const keptRejections = 100

/** The outcome of one import. `unchanged` is true when the same file was already current for the same as-of date. */
export class ImportSummary extends Schema.Class<ImportSummary>("ImportSummary")({
  dataset: Dataset,
  file: Schema.String,
  asOf: LocalDate,
  importId: Schema.optional(Schema.Number),
  unchanged: Schema.Boolean,
  records: Schema.Int,
  rejectedCount: Schema.Int,
  /** The first {@link keptRejections} rejected rows, in file order. */
  rejections: Schema.Array(RowRejected),
  ignoredColumns: Schema.Array(Schema.String)
}) {}
