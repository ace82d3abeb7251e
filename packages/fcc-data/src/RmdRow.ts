/**
 * Decoding of one data row of the Robocall Mitigation Database CSV export
 * into an `RmdFiling`, or the reason the row is rejected.
 */
import type { Frn } from "@pw/domain/Carrier"
import type { LocalDate } from "@pw/domain/compliance/PlannedEntry"
import { Either, Option } from "effect"
import type { Parsed } from "./CellValues.ts"
import { parseDate, parseFrn, parseYesNo } from "./CellValues.ts"
import type { ReadResult } from "./ReadResult.ts"
import { recordRead, RowRejected, rowRejected } from "./ReadResult.ts"
import { RmdFiling } from "./Records.ts"
import type { RmdField, RmdHeader } from "./RmdColumns.ts"

/** The `column` of a rejection that concerns the whole row rather than one field. */
export const wholeRow = "(whole row)"

const optionalOf = <A>(parse: (text: string) => Parsed<A>) => (text: string): Parsed<Option.Option<A>> =>
  text === "" ? Either.right(Option.none()) : Either.map(parse(text), Option.some)

const parseBusinessName = (text: string): Parsed<string> =>
  text === "" ? Either.left("is missing; every filing names its business") : Either.right(text)

const parseOtherFrns = (text: string): Parsed<ReadonlyArray<Frn>> =>
  Either.all(text.split(/[\s,;]+/).filter((part) => part !== "").map(parseFrn))

/** A rejection of one field, thrown out of the field checks and caught in `decodeRmdRow`. */
class FieldInvalid {
  constructor(readonly column: string, readonly value: string, readonly message: string) {}
}

/**
 * Decodes the fields of CSV record `row` (1-based, header is row 1).
 * Returns `undefined` for a record whose fields are all empty, a
 * `RowRejected` for a record with another number of fields than the header
 * or with an invalid value, and a `RecordRead` otherwise.
 */
export const decodeRmdRow = (row: number, fields: ReadonlyArray<string>, header: RmdHeader): ReadResult<RmdFiling> | undefined => {
  if (fields.every((field) => field.trim() === "")) return undefined
  if (fields.length !== header.width) {
    return rowRejected(new RowRejected({
      row,
      column: wholeRow,
      value: fields.join(","),
      message: `row ${row} has ${fields.length} fields but the header has ${header.width}; check the quoting and commas of that row`
    }))
  }

  const text = (field: RmdField): string => {
    const index = header.indexes.get(field)
    return index === undefined ? "" : (fields[index] ?? "").trim()
  }
  const check = <A>(field: RmdField, parse: (text: string) => Parsed<A>): A => {
    const column = header.names.get(field) ?? field
    return Either.getOrThrowWith(parse(text(field)), (message) => new FieldInvalid(column, text(field), `${column} ${message}`))
  }

  try {
    const frn = check("frn", parseFrn)
    const businessName = check("businessName", parseBusinessName)
    const yesNo = optionalOf(parseYesNo)
    const date = optionalOf<LocalDate>(parseDate)
    return recordRead(row, new RmdFiling({
      frn,
      businessName,
      implementation: text("implementation") === "" ? Option.none() : Option.some(text("implementation")),
      voiceServiceProvider: check("voiceServiceProvider", yesNo),
      gatewayProvider: check("gatewayProvider", yesNo),
      nonGatewayIntermediateProvider: check("nonGatewayIntermediateProvider", yesNo),
      foreignVoiceProvider: check("foreignVoiceProvider", yesNo),
      otherFrns: check("otherFrns", parseOtherFrns),
      lastUpdated: check("lastUpdated", date),
      lastRecertified: check("lastRecertified", date)
    }))
  } catch (error) {
    if (error instanceof FieldInvalid) {
      return rowRejected(new RowRejected({ row, column: error.column, value: error.value, message: error.message }))
    }
    throw error
  }
}
