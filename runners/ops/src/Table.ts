/**
 * Plain-text tables and JSON for the listing commands of `pw-ops`.
 */
import { Console } from "effect"

/** A table cell: text, a number, or nothing (printed as `-`). */
export type Cell = string | number | boolean | null | undefined

const cellText = (cell: Cell): string => (cell === null || cell === undefined || cell === "" ? "-" : String(cell))

/**
 * Formats `rows` under `headers` with columns padded to their widest cell and
 * two spaces between columns. Returns `emptyText` when there are no rows.
 */
export const format = (
  headers: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<Cell>>,
  emptyText = "(none)"
): string => {
  if (rows.length === 0) return emptyText
  const lines = [headers, ...rows.map((row) => row.map(cellText))]
  const widths = headers.map((_, column) => Math.max(...lines.map((line) => (line[column] ?? "").length)))
  return lines
    .map((line) => line.map((text, column) => text.padEnd(widths[column] ?? 0)).join("  ").trimEnd())
    .join("\n")
}

/** Prints `value` as indented JSON, with bigint values as strings. */
export const printJson = (value: unknown) =>
  Console.log(JSON.stringify(value, (_, item) => (typeof item === "bigint" ? item.toString() : item), 2))
