/**
 * Parsing of the text of one spreadsheet or CSV cell into a typed value. Each
 * parser returns the value, or a message saying what is wrong with the text.
 */
import { Frn } from "@pw/domain/Carrier"
import type { LocalDate } from "@pw/domain/compliance/PlannedEntry"
import { daysInMonth } from "@pw/domain/compliance/CalendarDate"
import { Either, Schema } from "effect"

/** A parsed cell: the value, or why the text is invalid. */
export type Parsed<A> = Either.Either<A, string>

const quoted = (text: string): string => JSON.stringify(text)

/** Parses a 10-digit FRN, leading zeros included. Surrounding spaces are ignored. */
export const parseFrn = (text: string): Parsed<Frn> =>
  Schema.decodeUnknownEither(Frn)(text.trim()).pipe(
    Either.mapLeft(() => `must be an FRN of exactly 10 digits with leading zeros, such as 0018538512 (got ${quoted(text)})`)
  )

const timeOfDay = String.raw`(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)?`
const usDate = new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{4})${timeOfDay}$`)
const isoDate = new RegExp(String.raw`^(\d{4})-(\d{2})-(\d{2})${timeOfDay}$`)

const pad = (value: number, width: number): string => String(value).padStart(width, "0")

const calendarDate = (year: number, month: number, day: number, text: string): Parsed<LocalDate> =>
  month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
    ? Either.right(`${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`)
    : Either.left(`is not a calendar date (got ${quoted(text)})`)

/**
 * Parses a date written `M/D/YYYY` (US order, leading zeros optional) or
 * `YYYY-MM-DD`, either optionally followed by a time of day, which is
 * dropped. Rejects dates that do not exist, such as 2/30/2025.
 */
export const parseDate = (text: string): Parsed<LocalDate> => {
  const trimmed = text.trim()
  const us = usDate.exec(trimmed)
  if (us !== null) return calendarDate(Number(us[3]), Number(us[1]), Number(us[2]), text)
  const iso = isoDate.exec(trimmed)
  if (iso !== null) return calendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3]), text)
  return Either.left(`must be a date as M/D/YYYY or YYYY-MM-DD (got ${quoted(text)})`)
}

/** Days between the Excel epoch of the 1900 date system (serial 0) and 1970-01-01. */
const excelEpochOffsetDays = 25569

/**
 * Converts an Excel serial date of the 1900 date system (the default of
 * Excel on Windows) to its calendar date. The time fraction is dropped.
 * Serials before 1900-03-01 are rejected because Excel counts a
 * 29 February 1900 that did not exist.
 */
export const parseExcelSerialDate = (serial: number): Parsed<LocalDate> =>
  Number.isFinite(serial) && serial >= 61 && serial < 2_958_466
    ? Either.right(new Date((Math.floor(serial) - excelEpochOffsetDays) * 86_400_000).toISOString().slice(0, 10))
    : Either.left(`is not an Excel date serial between 1900-03-01 and 9999-12-31 (got ${serial})`)

/** Parses `Yes` or `No` in any letter case. */
export const parseYesNo = (text: string): Parsed<boolean> => {
  const word = text.trim().toLowerCase()
  if (word === "yes") return Either.right(true)
  if (word === "no") return Either.right(false)
  return Either.left(`must be Yes or No (got ${quoted(text)})`)
}

/** Parses `TRUE` or `FALSE` in any letter case; an empty cell is false. */
export const parseTrueFalse = (text: string): Parsed<boolean> => {
  const word = text.trim().toLowerCase()
  if (word === "true") return Either.right(true)
  if (word === "false" || word === "") return Either.right(false)
  return Either.left(`must be TRUE or FALSE (got ${quoted(text)})`)
}
