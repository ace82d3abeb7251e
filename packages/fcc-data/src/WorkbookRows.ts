/**
 * Streaming of the rows of an XLSX workbook's first worksheet. The archive
 * is checked whole first (`checkZipArchive`) and then read by offset. The
 * shared strings are read into memory before the worksheet is streamed
 * through htmlparser2's XML mode, whatever their order in the file, because
 * the FCC's export stores the worksheet first. Memory use is bounded by the
 * shared-strings table plus the rows of one decompressed chunk.
 */
import { Effect, Option, Stream } from "effect"
import { createReadStream } from "node:fs"
import type { Readable } from "node:stream"
import { createInflateRaw } from "node:zlib"
import { Parser } from "htmlparser2"
import { FileUnreadable } from "./ReadResult.ts"
import { checkZipArchive, type ZipEntry } from "./ZipArchiveCheck.ts"

/** A non-empty cell: text, a number (dates are Excel serial numbers), or a TRUE/FALSE cell. */
export type CellData = string | number | boolean

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

/** Yields the decompressed text of an entry, chunk by chunk. */
async function* entryText(path: string, entry: ZipEntry): AsyncGenerator<string> {
  if (entry.compressedSize === 0) return
  const raw = createReadStream(path, { start: entry.dataStart, end: entry.dataStart + entry.compressedSize - 1 })
  const data: Readable = entry.method === 8 ? raw.pipe(createInflateRaw()) : raw
  raw.on("error", (error) => data.destroy(error))
  const decoder = new TextDecoder("utf-8")
  try {
    for await (const chunk of data) {
      yield decoder.decode(chunk as Uint8Array, { stream: true })
    }
    yield decoder.decode()
  } finally {
    raw.destroy()
  }
}

/** Reads every string of `xl/sharedStrings.xml`: the text of each `<si>`, rich-text runs joined. */
const readSharedStrings = async (path: string, entry: ZipEntry | undefined): Promise<ReadonlyArray<string>> => {
  const strings: Array<string> = []
  if (entry === undefined) return strings
  let current: string | undefined
  let inText = false
  const parser = new Parser({
    onopentag: (name) => {
      if (name === "si") current = ""
      else if (name === "t") inText = true
    },
    ontext: (text) => {
      if (inText && current !== undefined) current += text
    },
    onclosetag: (name) => {
      if (name === "t") inText = false
      else if (name === "si") {
        strings.push(current ?? "")
        current = undefined
      }
    }
  }, { xmlMode: true, decodeEntities: true })
  for await (const text of entryText(path, entry)) parser.write(text)
  parser.end()
  return strings
}

/** Returns the 1-based column number of a cell reference such as `BA12`. */
const columnOf = (reference: string): number => {
  let column = 0
  for (const character of reference) {
    const code = character.charCodeAt(0)
    if (code < 65 || code > 90) break
    column = column * 26 + (code - 64)
  }
  return column
}

/** Streams the rows of the worksheet entry, resolving shared strings. */
async function* sheetRows(path: string, entry: ZipEntry, strings: ReadonlyArray<string>, progress: { row: number }): AsyncGenerator<SheetRow> {
  const ready: Array<SheetRow> = []
  let row: { number: number; cells: Map<number, CellData> } | undefined
  let cell: { column: number; type: string; text: string } | undefined
  let inValue = false
  let nextColumn = 1

  const parser = new Parser({
    onopentag: (name, attributes) => {
      if (name === "row") {
        const number = Number(attributes["r"] ?? (row === undefined ? 1 : row.number + 1))
        row = { number, cells: new Map() }
        nextColumn = 1
      } else if (name === "c") {
        const reference = attributes["r"] ?? ""
        const column = reference === "" ? nextColumn : columnOf(reference)
        cell = { column, type: attributes["t"] ?? "n", text: "" }
        nextColumn = column + 1
      } else if (name === "v" || name === "t") {
        inValue = true
      }
    },
    ontext: (text) => {
      if (inValue && cell !== undefined) cell.text += text
    },
    onclosetag: (name) => {
      if (name === "v" || name === "t") inValue = false
      else if (name === "c" && cell !== undefined && row !== undefined) {
        const value = cellValue(cell.type, cell.text, strings)
        if (value !== undefined && value !== "") row.cells.set(cell.column, value)
        cell = undefined
      } else if (name === "row" && row !== undefined) {
        ready.push(row)
        row = undefined
      }
    }
  }, { xmlMode: true, decodeEntities: true })

  for await (const text of entryText(path, entry)) {
    parser.write(text)
    while (ready.length > 0) {
      const next = ready.shift()
      if (next === undefined) break
      progress.row = next.number
      yield next
    }
  }
  parser.end()
  for (const next of ready) {
    progress.row = next.number
    yield next
  }
}

/** Returns the value of a cell of type `type` (the `t` attribute) written as `text`. */
const cellValue = (type: string, text: string, strings: ReadonlyArray<string>): CellData | undefined => {
  switch (type) {
    case "s":
      return strings[Number(text)]
    case "b":
      return text === "1"
    case "inlineStr":
    case "str":
    case "e":
      return text
    default:
      return text === "" ? undefined : Number(text)
  }
}

const unreadable = (path: string, lastRow: number, error: unknown): FileUnreadable => {
  const reason = error instanceof Error ? error.message : String(error)
  return new FileUnreadable({
    file: path,
    ...(lastRow > 0 ? { row: lastRow } : {}),
    message: `${path} could not be read ${lastRow > 0 ? `after row ${lastRow}` : "before its first row"}: ${reason}. Check that it is an XLSX workbook, or download it again.`
  })
}

/** The first worksheet: `xl/worksheets/sheet1.xml`, or else the lowest-numbered sheet. */
const firstWorksheet = (entries: ReadonlyArray<ZipEntry>): ZipEntry | undefined =>
  entries
    .filter((entry) => /^xl\/worksheets\/sheet\d+\.xml$/.test(entry.name))
    .sort((left, right) => Number(left.name.replace(/\D/g, "")) - Number(right.name.replace(/\D/g, "")))[0]

/**
 * Opens the XLSX workbook at `path` and streams the rows of its first
 * worksheet. Fails with `FileUnreadable` naming the file and, once rows were
 * read, the last row read. The rows are valid only inside the scope.
 */
export const openFirstSheet = Effect.fn("WorkbookRows.openFirstSheet")(function*(path: string) {
  const entries = yield* checkZipArchive(path)
  const worksheet = firstWorksheet(entries)
  if (worksheet === undefined) {
    return yield* new FileUnreadable({ file: path, message: `${path} has no worksheet; check that it is an XLSX workbook` })
  }
  const strings = yield* Effect.tryPromise({
    try: () => readSharedStrings(path, entries.find((entry) => entry.name === "xl/sharedStrings.xml")),
    catch: (error) => unreadable(path, 0, error)
  })
  const progress = { row: 0 }
  const rows = yield* Effect.acquireRelease(
    Effect.sync(() => sheetRows(path, worksheet, strings, progress)),
    (iterator) => Effect.promise(() => iterator.return(undefined))
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
