/**
 * The result a reader yields for each row or page: the record, or the
 * reason the row was skipped. A reader fails with {@link FileUnreadable} only when the file as a
 * whole cannot be read, and then the import changes nothing.
 */
import { Schema } from "effect"

/** A row that was read into a record. `row` is the 1-based row number in the file, header included. */
export interface RecordRead<A> {
  readonly _tag: "RecordRead"
  readonly row: number
  readonly record: A
}

/** A row that was skipped: which row, which column, the value found and what is wrong with it. */
export class RowRejected extends Schema.Class<RowRejected>("RowRejected")({
  row: Schema.Int,
  column: Schema.String,
  value: Schema.String,
  message: Schema.String
}) {}

/** One result of a reader. */
export type ReadResult<A> = RecordRead<A> | { readonly _tag: "RowRejected"; readonly rejection: RowRejected }

/** Builds a {@link RecordRead}. */
export const recordRead = <A>(row: number, record: A): ReadResult<A> => ({ _tag: "RecordRead", row, record })

/** Builds a rejected-row result. */
export const rowRejected = <A>(rejection: RowRejected): ReadResult<A> => ({ _tag: "RowRejected", rejection })

/**
 * The file cannot be read as the data set it claims to be: a truncated or
 * corrupt archive, a missing required column, a page of another kind.
 * `row` is set when the fault is at a known row (the header row is 1).
 */
export class FileUnreadable extends Schema.TaggedError<FileUnreadable>()("FileUnreadable", {
  file: Schema.String,
  row: Schema.optional(Schema.Int),
  message: Schema.String
}) {}

/** The data sets the platform imports. */
export const Dataset = Schema.Literal("form499", "rmd", "cores")
export type Dataset = typeof Dataset.Type
