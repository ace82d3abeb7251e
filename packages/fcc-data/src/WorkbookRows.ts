/**
 * Streaming of the rows of an XLSX workbook's first worksheet with exceljs's
 * streaming `WorkbookReader`. Memory use is bounded by the shared-strings
 * table plus the rows of one parsed chunk of sheet XML.
 */
import { createReadStream } from "node:fs"
import ExcelJS from "exceljs"
import { Duration, Effect, Option, Stream } from "effect"
import { FileUnreadable } from "./ReadResult.ts"
import { checkZipArchive } from "./ZipArchiveCheck.ts"

/** A non-empty cell: text, a number, a TRUE/FALSE cell, or a date-formatted number converted by exceljs. */
export type CellData = string | number | boolean | Date

/** One row of the sheet: its 1-based number and its non-empty cells by 1-based column number. */
export interface SheetRow {
  readonly number: number
  readonly cells: ReadonlyMap<number, CellData>
}

/** The first row the sheet contains (`None` for an empty sheet) and the rows after it. */
export interface OpenedSheet {
  readonly first: Option.Option<SheetRow>
  readonly rest: Stream.Stream<SheetRow, FileUnreadable>
}

const releaseTimeout = Duration.seconds(10)

const primitive = (value: ExcelJS.CellValue | ExcelJS.CellFormulaValue["result"]): CellData | undefined => {
  if (value === null || value === undefined) return undefined
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value instanceof Date) return value
  if ("richText" in value) return value.richText.map((run) => run.text).join("")
  if ("hyperlink" in value) return value.text
  if ("error" in value) return value.error
  return primitive(value.result)
}

const sheetRow = (row: ExcelJS.Row): SheetRow => {
  const cells = new Map<number, CellData>()
  row.eachCell((cell, column) => {
    const value = primitive(cell.value)
    if (value !== undefined && value !== "") cells.set(column, value)
  })
  return { number: row.number, cells }
}

async function* firstSheetRows(reader: ExcelJS.stream.xlsx.WorkbookReader, progress: { row: number }): AsyncGenerator<SheetRow> {
  for await (const worksheet of reader) {
    for await (const row of worksheet) {
      progress.row = row.number
      yield sheetRow(row)
    }
    return
  }
}

const unreadable = (path: string, lastRow: number, error: unknown): FileUnreadable => {
  const reason = error instanceof Error ? error.message : String(error)
  return new FileUnreadable({
    file: path,
    ...(lastRow > 0 ? { row: lastRow } : {}),
    message: `${path} could not be read ${lastRow > 0 ? `after row ${lastRow}` : "before its first row"}: ${reason}. The file is truncated or corrupt; download it again.`
  })
}

/**
 * Opens the XLSX workbook at `path` and streams the rows of its first
 * worksheet. Checks the whole archive first (see `checkZipArchive`),
 * because exceljs ends quietly on a file cut at an entry boundary and waits
 * forever on a corrupt worksheet entry stored before the shared strings.
 * Fails with `FileUnreadable` naming the file and, once rows were read, the
 * last row read. The rows are valid only inside the scope.
 */
export const openFirstSheet = Effect.fn("WorkbookRows.openFirstSheet")(function*(path: string) {
  yield* checkZipArchive(path)

  const input = yield* Effect.acquireRelease(
    Effect.sync(() => createReadStream(path)),
    (stream) => Effect.sync(() => stream.destroy())
  )
  const progress = { row: 0 }
  const rows = yield* Effect.acquireRelease(
    Effect.sync(() => {
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
        worksheets: "emit",
        sharedStrings: "cache",
        hyperlinks: "ignore",
        styles: "cache",
        entries: "ignore"
      })
      return firstSheetRows(reader, progress)
    }),
    (iterator) => Effect.tryPromise(() => iterator.return(undefined)).pipe(Effect.timeout(releaseTimeout), Effect.ignore)
  )

  const next = Effect.tryPromise({ try: () => rows.next(), catch: (error) => unreadable(path, progress.row, error) })
  const first = yield* next
  const rest = Stream.repeatEffectOption(
    next.pipe(
      Effect.mapError(Option.some),
      Effect.flatMap((result) => (result.done === true ? Effect.fail(Option.none()) : Effect.succeed(result.value)))
    )
  )
  return { first: first.done === true ? Option.none() : Option.some(first.value), rest } satisfies OpenedSheet
})
