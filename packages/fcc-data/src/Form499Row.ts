/**
 * Decoding of one data row of the Form 499 Filer Database export into a
 * `Form499Filer`, or the reason the row is rejected.
 */
import type { LocalDate } from "@pw/domain/compliance/PlannedEntry"
import { Either, Option } from "effect"
import type { Parsed } from "./CellValues.ts"
import { parseDate, parseExcelSerialDate, parseFrn, parseTrueFalse, parseYesNo } from "./CellValues.ts"
import { form499JurisdictionColumns } from "./Form499Columns.ts"
import { recordRead, RowRejected, rowRejected } from "./ReadResult.ts"
import type { ReadResult } from "./ReadResult.ts"
import { Form499Filer } from "./Records.ts"
import type { CellData } from "./WorkbookRows.ts"

/** Returns the trimmed text of a cell: "" for an absent cell, TRUE or FALSE for a boolean. */
export const cellText = (value: CellData | undefined): string => {
  if (value === undefined) return ""
  if (typeof value === "string") return value.trim()
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE"
  return String(value)
}

const optional = (text: string): Option.Option<string> => (text === "" ? Option.none() : Option.some(text))

const joined = (parts: ReadonlyArray<string>): Option.Option<string> => optional(parts.filter((part) => part !== "").join(", "))

// A numeric cell has lost the leading zeros of an identifier, so integers are padded back to the identifier's width.
const digitsOf = (value: CellData | undefined, width: number): string =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? String(value).padStart(width, "0") : cellText(value)

const parseFilerId = (value: CellData | undefined): Parsed<string> => {
  const digits = digitsOf(value, 6)
  return /^\d{6}$/.test(digits)
    ? Either.right(digits)
    : Either.left(`must be a 499 Filer ID of exactly 6 digits, such as 801003 (got ${JSON.stringify(cellText(value))})`)
}

const parseLastFiling = (value: CellData | undefined): Parsed<Option.Option<LocalDate>> => {
  if (value === undefined || cellText(value) === "") return Either.right(Option.none())
  const parsed = typeof value === "number" ? parseExcelSerialDate(value) : parseDate(cellText(value))
  return Either.map(parsed, Option.some)
}

const parseUsfContributor = (value: CellData | undefined): Parsed<boolean> =>
  typeof value === "boolean" ? Either.right(value) : parseYesNo(cellText(value))

const parseLegalName = (value: CellData | undefined): Parsed<string> =>
  cellText(value) === "" ? Either.left("is missing; every filer has a legal name") : Either.right(cellText(value))

/** A rejection of one cell, thrown out of the field checks and caught in `decodeForm499Row`. */
class CellInvalid {
  constructor(readonly column: string, readonly value: string, readonly message: string) {}
}

/**
 * Decodes the cells of data row `row` (1-based, header is row 1), keyed by
 * header name. Returns `undefined` for a row without any non-empty cell, a
 * `RecordRead`, or a `RowRejected` naming the first invalid column in the
 * order Filer ID, FRN, legal name, last filing, USF contributor, states.
 */
export const decodeForm499Row = (row: number, cells: ReadonlyMap<string, CellData>): ReadResult<Form499Filer> | undefined => {
  const texts = new Map<string, string>()
  for (const [column, value] of cells) texts.set(column, cellText(value))
  if (![...texts.values()].some((text) => text !== "")) return undefined

  const text = (column: string): string => texts.get(column) ?? ""
  const check = <A>(column: string, parsed: Parsed<A>): A =>
    Either.getOrThrowWith(parsed, (message) => new CellInvalid(column, text(column), `${column} ${message}`))

  try {
    const filerId = check("Filer_499_ID", parseFilerId(cells.get("Filer_499_ID")))
    const frn = check("CORESID", parseFrn(digitsOf(cells.get("CORESID"), 10)))
    const legalName = check("Legal_Name_of_Carrier", parseLegalName(cells.get("Legal_Name_of_Carrier")))
    const lastFiling = check("LastFiling", parseLastFiling(cells.get("LastFiling")))
    const usfContributor = check("USF_Contributor_1", parseUsfContributor(cells.get("USF_Contributor_1")))
    const jurisdictions: Array<string> = []
    for (const [column, value] of cells) {
      if (!form499JurisdictionColumns.has(column)) continue
      const operates = check(column, typeof value === "boolean" ? Either.right(value) : parseTrueFalse(cellText(value)))
      if (operates) jurisdictions.push(column)
    }

    return recordRead(row, new Form499Filer({
      filerId,
      frn,
      legalName,
      doingBusinessAs: optional(text("Doing_Business_As")),
      lastFiling,
      usfContributor,
      principalCommType: optional(text("Principal_Comm_Type_1")),
      holdingCompany: optional(text("Holding_Company")),
      hqAddress: joined([text("HQ_Address1"), text("HQ_Address2"), text("HQ_Address3")]),
      hqCity: optional(text("HQ_City")),
      hqState: optional(text("HQ_State")),
      hqZipCode: optional(text("HQ_Zip_Code")),
      dcAgent: joined([text("DC_Agent1"), text("DC_Agent2")]),
      dcAgentAddress: joined([
        text("DC_Agent_Address1"),
        text("DC_Agent_Address2"),
        text("DC_Agent_Address3"),
        text("DC_Agent_City"),
        [text("DC_Agent_State"), text("DC_Agent_Zip")].filter((part) => part !== "").join(" ")
      ]),
      jurisdictions
    }))
  } catch (error) {
    if (error instanceof CellInvalid) {
      return rowRejected(new RowRejected({ row, column: error.column, value: error.value, message: error.message }))
    }
    throw error
  }
}
