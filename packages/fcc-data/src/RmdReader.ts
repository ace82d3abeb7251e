/**
 * Streaming reader of the Robocall Mitigation Database CSV export.
 */
import { createReadStream } from "node:fs"
import { parse } from "csv-parse"
import type { Parser } from "csv-parse"
import { Duration, Effect, Option, Stream } from "effect"
import type { OpenedFile } from "./OpenedFile.ts"
import { FileUnreadable } from "./ReadResult.ts"
import type { RmdFiling } from "./Records.ts"
import { matchRmdHeader } from "./RmdColumns.ts"
import { decodeRmdRow } from "./RmdRow.ts"

interface CsvRecord {
  readonly fields: ReadonlyArray<string>
  /** 1-based record number; the header is record 1. */
  readonly row: number
}

const releaseTimeout = Duration.seconds(10)

const isCsvRecord = (value: unknown): value is { record: Array<string>; info: { records: number } } =>
  typeof value === "object" && value !== null && "record" in value && Array.isArray(value.record) &&
  "info" in value && typeof value.info === "object" && value.info !== null && "records" in value.info &&
  typeof value.info.records === "number"

const numberField = (error: unknown, name: string): number | undefined => {
  if (typeof error !== "object" || error === null || !(name in error)) return undefined
  const value: unknown = Reflect.get(error, name)
  return typeof value === "number" ? value : undefined
}

const unreadable = (path: string, error: unknown): FileUnreadable => {
  const reason = error instanceof Error ? error.message : String(error)
  if (typeof error === "object" && error !== null && "syscall" in error) {
    return new FileUnreadable({ file: path, message: `Cannot read ${path}: ${reason}. Check that the file exists and is readable.` })
  }
  const line = numberField(error, "lines")
  const records = numberField(error, "records")
  return new FileUnreadable({
    file: path,
    ...(records === undefined ? {} : { row: records + 1 }),
    message: `${path} could not be parsed as CSV${line === undefined ? "" : ` at line ${line}`}: ${reason}. Fix the quoting there or download the file again.`
  })
}

const nextRecord = (path: string, records: AsyncIterator<unknown>): Effect.Effect<Option.Option<CsvRecord>, FileUnreadable> =>
  Effect.tryPromise({ try: () => records.next(), catch: (error) => unreadable(path, error) }).pipe(
    Effect.flatMap((result) => {
      if (result.done === true) return Effect.succeed(Option.none())
      const value: unknown = result.value
      return isCsvRecord(value)
        ? Effect.succeed(Option.some({ fields: value.record, row: value.info.records }))
        : Effect.fail(unreadable(path, new Error("the CSV parser returned a record without fields")))
    })
  )

/**
 * Opens the export at `path` and streams its filings. Columns are found by
 * header name in row 1, in any order, letter case and punctuation, with a
 * few aliases (see `RmdColumns.ts`). Fails with `FileUnreadable` when the
 * file is empty, when the business name or FRN column is missing (row 1,
 * naming both when both are), or when a quote breaks the CSV (naming the
 * line). A record with another number of fields than the header, or with
 * an invalid value, comes as `RowRejected` and the stream goes on. Header
 * names the reader does not know are listed in `ignoredColumns`. The
 * stream is valid only inside the scope.
 */
export const open = Effect.fn("RmdReader.open")(function*(path: string) {
  const parser = yield* Effect.acquireRelease(
    Effect.sync((): Parser => {
      const input = createReadStream(path)
      const csv = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true })
      input.on("error", (error) => csv.destroy(error))
      csv.on("close", () => input.destroy())
      return input.pipe(csv)
    }),
    (csv) => Effect.sync(() => csv.destroy())
  )
  const records = yield* Effect.acquireRelease(
    Effect.sync(() => parser[Symbol.asyncIterator]()),
    (iterator) => Effect.tryPromise(async () => {
      await iterator.return?.()
    }).pipe(Effect.timeout(releaseTimeout), Effect.ignore)
  )

  const header = yield* nextRecord(path, records)
  if (Option.isNone(header)) {
    return yield* new FileUnreadable({ file: path, row: 1, message: `${path} is empty; a Robocall Mitigation Database export starts with a header row.` })
  }
  const columns = matchRmdHeader(header.value.fields)
  if (columns.missing.length > 0) {
    return yield* new FileUnreadable({
      file: path,
      row: 1,
      message: `${path} lacks the required column(s) ${columns.missing.join(", ")} in its header row; check that it is a Robocall Mitigation Database export.`
    })
  }

  yield* Effect.logDebug("Robocall Mitigation Database export opened").pipe(Effect.annotateLogs({ file: path, ignoredColumns: columns.ignored.length }))
  const rows = Stream.repeatEffectOption(nextRecord(path, records).pipe(Effect.mapError(Option.some), Effect.flatMap(Option.match({
    onNone: () => Effect.fail(Option.none()),
    onSome: Effect.succeed
  }))))
  return {
    ignoredColumns: columns.ignored,
    rows: rows.pipe(Stream.filterMap((record) => Option.fromNullable(decodeRmdRow(record.row, record.fields, columns))))
  } satisfies OpenedFile<RmdFiling>
})
