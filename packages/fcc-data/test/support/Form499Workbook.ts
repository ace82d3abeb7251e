/**
 * Writes XLSX files in the layout of the Form 499 Filer Database bulk export
 * with generated, fictional filers, for tests and benchmarks. Uses exceljs's
 * streaming writer with a shared-strings table, as the FCC's file has, and
 * omits the cells of empty values.
 */
import ExcelJS from "exceljs"
import { Effect, Schema } from "effect"
import { form499Header, form499JurisdictionColumns } from "../../src/Form499Columns.ts"

/** A generated value; `undefined` leaves the cell out. */
export type GeneratedCell = string | number | Date | undefined

/** What to write. Row indexes count data rows from 0; data row `i` is sheet row `i + 2`. */
export interface Form499WorkbookOptions {
  /** Number of data rows after the header. */
  readonly rows: number
  /** Seed of the generator; the same seed and options give the same cells. */
  readonly seed?: number
  /** When set, every `badRowEvery`-th data row (1-based count) gets one invalid value, cycling through Filer ID, FRN, date and USF contributor. */
  readonly badRowEvery?: number
  /** Cells to overwrite, by data row index and header name. */
  readonly overrides?: ReadonlyMap<number, Readonly<Record<string, GeneratedCell>>>
  /** Data row indexes written without any cell. */
  readonly blankRows?: ReadonlyArray<number>
  /** Header names to leave out of the header and every row. */
  readonly omitColumns?: ReadonlyArray<string>
  /** Header names to append after the real header, with empty cells. */
  readonly extraColumns?: ReadonlyArray<string>
}

/** A row made invalid on purpose: its sheet row number and the column with the invalid value. */
export interface BadRow {
  readonly row: number
  readonly column: string
}

/** What was written: the number of data rows and the rows made invalid by `badRowEvery`. */
export interface WrittenWorkbook {
  readonly dataRows: number
  readonly badRows: ReadonlyArray<BadRow>
}

/** exceljs failed to write the workbook. */
export class WorkbookWriteFailed extends Schema.TaggedError<WorkbookWriteFailed>()("WorkbookWriteFailed", {
  path: Schema.String,
  message: Schema.String
}) {}

/** Mulberry32: a small deterministic generator of floats in [0, 1). */
const generator = (seed: number): (() => number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state)
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296
  }
}

const places = ["Prairie", "Harbor", "Summit", "Cedar", "Riverbend", "Lakeside", "Granite", "Meadow", "Northgate", "Willow"]
const kinds = ["Telephone", "Communications", "Networks", "Voice", "Telecom"]
const suffixes = ["LLC", "Inc.", "Cooperative", "Company"]
const commTypes = ["Incumbent LEC", "CAP/CLEC", "Interconnected VoIP", "Cellular/PCS/SMR", "Toll Reseller"]
const stateCodes = ["AL", "CO", "GA", "IA", "MN", "NE", "OH", "TX", "WY", "VT"]
const badValues: ReadonlyArray<readonly [string, string]> = [
  ["Filer_499_ID", "80100"],
  ["CORESID", "12345"],
  ["LastFiling", "2/30/2025"],
  ["USF_Contributor_1", "Maybe"]
]

const pick = <A>(random: () => number, values: ReadonlyArray<A>): A => {
  const value = values[Math.floor(random() * values.length)]
  if (value === undefined) throw new Error("pick from an empty list")
  return value
}

const generatedRow = (index: number, random: () => number): Record<string, GeneratedCell> => {
  const place = pick(random, places)
  const name = `${place} ${pick(random, kinds)} ${String(index).padStart(5, "0")} ${pick(random, suffixes)}`
  const state = pick(random, stateCodes)
  const row: Record<string, GeneratedCell> = {
    Filer_499_ID: String(810_000 + index),
    LastFiling: `${1 + Math.floor(random() * 12)}/${1 + Math.floor(random() * 28)}/${2019 + Math.floor(random() * 7)}`,
    USF_Contributor_1: random() < 0.7 ? "Yes" : "No",
    Legal_Name_of_Carrier: name,
    Doing_Business_As: random() < 0.5 ? `${place} Connect` : undefined,
    Principal_Comm_Type_1: pick(random, commTypes),
    Holding_Company: random() < 0.3 ? `${place} Holdings Inc.` : undefined,
    CORESID: String(30_000_000 + index * 7).padStart(10, "0"),
    HQ_Address1: `${100 + Math.floor(random() * 900)} Example Road`,
    HQ_City: "Sampletown",
    HQ_State: state,
    HQ_Zip_Code: String(10_000 + Math.floor(random() * 89_999)),
    Customer_Inquiries_Telephone: `(555) 01${String(index % 100).padStart(2, "0")}-${String(1000 + (index % 9000))}`,
    DC_Agent1: random() < 0.5 ? "Agent Contact A" : undefined,
    DC_Agent2: "Example Agent Services LLC",
    DC_Agent_EMail: "agent@example.com",
    DC_Agent_Address1: "100 Sample Avenue NW",
    DC_Agent_City: "Washington",
    DC_Agent_State: "DC",
    DC_Agent_Zip: "20000"
  }
  for (const column of form499JurisdictionColumns) row[column] = random() < 0.1 ? "TRUE" : "FALSE"
  return row
}

/**
 * Writes a workbook with the real 122-column header and `options.rows`
 * generated filers to `path`, streaming each row to disk as it is made.
 */
export const writeForm499Workbook = Effect.fn("Form499Workbook.write")(function*(path: string, options: Form499WorkbookOptions) {
  const omitted = new Set(options.omitColumns ?? [])
  const header = [...form499Header.filter((name) => !omitted.has(name)), ...(options.extraColumns ?? [])]
  const blank = new Set(options.blankRows ?? [])
  const random = generator(options.seed ?? 1)
  const badRows: Array<BadRow> = []

  yield* Effect.tryPromise({
    try: async () => {
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: false })
      const sheet = workbook.addWorksheet("Sheet1")
      sheet.addRow(header).commit()
      for (let index = 0; index < options.rows; index++) {
        const values = generatedRow(index, random)
        const every = options.badRowEvery
        if (every !== undefined && (index + 1) % every === 0) {
          const bad = badValues[badRows.length % badValues.length]
          if (bad !== undefined) {
            values[bad[0]] = bad[1]
            badRows.push({ row: index + 2, column: bad[0] })
          }
        }
        Object.assign(values, options.overrides?.get(index) ?? {})
        sheet.addRow(blank.has(index) ? [] : header.map((name) => values[name])).commit()
      }
      sheet.commit()
      await workbook.commit()
    },
    catch: (error) => new WorkbookWriteFailed({ path, message: `Writing the test workbook ${path} failed: ${String(error)}` })
  })
  return { dataRows: options.rows, badRows } satisfies WrittenWorkbook
})
