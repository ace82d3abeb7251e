/**
 * Streaming reader of the Form 499 Filer Database bulk export (XLSX).
 */
import { Effect, Option, Stream } from "effect"
import { matchForm499Header } from "./Form499Columns.ts"
import { cellText, decodeForm499Row } from "./Form499Row.ts"
import type { OpenedFile } from "./OpenedFile.ts"
import { FileUnreadable } from "./ReadResult.ts"
import type { Form499Filer } from "./Records.ts"
import type { CellData, SheetRow } from "./WorkbookRows.ts"
import { openFirstSheet } from "./WorkbookRows.ts"

const headerCells = (row: SheetRow): ReadonlyMap<number, string> =>
  new Map([...row.cells].map(([column, value]) => [column, cellText(value)]))

/**
 * Opens the export at `path` and streams its filers. Columns are found by
 * their header name in row 1. Fails with `FileUnreadable` when the archive
 * is truncated or corrupt, when row 1 is not a header, or when a required
 * column is missing (row 1, naming every missing column). Rows with an
 * invalid value come as `RowRejected` and the stream goes on; rows without
 * any value are skipped. Header names the export does not have are listed in
 * `ignoredColumns`. The stream is valid only inside the scope.
 */
export const open = Effect.fn("Form499Reader.open")(function*(path: string) {
  const sheet = yield* openFirstSheet(path)
  const header = Option.filter(sheet.first, (row) => row.number === 1)
  if (Option.isNone(header)) {
    return yield* new FileUnreadable({
      file: path,
      row: 1,
      message: `${path} has no header row in row 1; a Form 499 Filer Database export starts with its column names.`
    })
  }

  const columns = matchForm499Header(headerCells(header.value))
  if (columns.missing.length > 0) {
    return yield* new FileUnreadable({
      file: path,
      row: 1,
      message: `${path} lacks the required column(s) ${columns.missing.join(", ")} in its header row; check that it is a Form 499 Filer Database export.`
    })
  }

  const named = (row: SheetRow): ReadonlyMap<string, CellData> => {
    const cells = new Map<string, CellData>()
    for (const [column, value] of row.cells) {
      const name = columns.names.get(column)
      if (name !== undefined) cells.set(name, value)
    }
    return cells
  }

  yield* Effect.logDebug("Form 499 export opened").pipe(Effect.annotateLogs({ file: path, ignoredColumns: columns.ignored.length }))
  return {
    ignoredColumns: columns.ignored,
    rows: sheet.rest.pipe(Stream.filterMap((row) => Option.fromNullable(decodeForm499Row(row.number, named(row)))))
  } satisfies OpenedFile<Form499Filer>
})
