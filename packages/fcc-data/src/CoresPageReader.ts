/**
 * Reader of the CORES public registration detail page (the HTML page CORES
 * serves for `searchDetail.do?frn=`), parsed with cheerio.
 */
import { readFile } from "node:fs/promises"
import { basename } from "node:path"
import type { Frn } from "@pw/domain/Carrier"
import type { LocalDate } from "@pw/domain/compliance/PlannedEntry"
import { load } from "cheerio"
import { Effect, Either, Option } from "effect"
import { parseDate, parseFrn } from "./CellValues.ts"
import { FileUnreadable } from "./ReadResult.ts"
import type { CoresPage } from "./Records.ts"

const pageTitle = "FCC Registration System"

/** One td of the registration table, split into its lines at `<br>`, each trimmed with spaces collapsed. */
type FieldLines = ReadonlyArray<string>

// Labels are compared without case, spaces and the trailing colon, because CORES writes "ContactPhone:" next to "Contact Email:".
const labelKey = (label: string): string => label.toLowerCase().replace(/[^a-z]/g, "")

const collapse = (text: string): string => text.replace(/\s+/g, " ").trim()

const tableFields = (html: string): { readonly title: string; readonly hasDetail: boolean; readonly bodyEmpty: boolean; readonly fields: ReadonlyMap<string, FieldLines> } => {
  const $ = load(html)
  const content = $("#srchDetailContent")
  const fields = new Map<string, FieldLines>()
  content.find("tr").each((_, row) => {
    const label = labelKey($(row).find("th").first().text())
    const cell = $(row).find("td").first()
    cell.find("br").replaceWith("\n")
    const lines = cell.text().split("\n").map(collapse).filter((line) => line !== "")
    if (label !== "" && !fields.has(label)) fields.set(label, lines)
  })
  const body = $("body")
  return {
    title: collapse($("title").first().text()),
    hasDetail: content.length > 0,
    bodyEmpty: body.children().length === 0 && collapse(body.text()) === "",
    fields
  }
}

/**
 * Parses the HTML of a CORES registration detail page; `file` names it in
 * errors. Returns `CoresRegistration` for a page with a registration table
 * and `CoresNoRecord` for the empty page CORES serves for an FRN without a
 * registration. Dates such as "09/12/2000 04:16:13 PM" become calendar
 * dates and address lines are joined with ", ". Fails with `FileUnreadable`
 * for any other page: another title, a table without an FRN or entity name
 * row, or an invalid FRN or date.
 */
export const parse = Effect.fn("CoresPageReader.parse")(function*(html: string, file: string): Effect.fn.Return<CoresPage, FileUnreadable> {
  const page = tableFields(html)
  const rejected = (reason: string) =>
    new FileUnreadable({
      file,
      message: `${file} is not a CORES registration detail page: ${reason}. Save the page CORES shows at searchDetail.do?frn=<FRN>.`
    })

  if (page.title !== pageTitle) return yield* rejected(`its title is ${JSON.stringify(page.title)}, not "${pageTitle}"`)
  if (!page.hasDetail) {
    if (page.bodyEmpty) return { _tag: "CoresNoRecord" } satisfies CoresPage
    return yield* rejected("it has neither a registration table nor the empty body of the page for an FRN without a registration")
  }

  const text = (label: string): Option.Option<string> => {
    const lines = page.fields.get(labelKey(label)) ?? []
    return lines.length === 0 ? Option.none() : Option.some(lines.join(" "))
  }
  const date = (label: string): Either.Either<Option.Option<LocalDate>, FileUnreadable> =>
    Option.match(text(label), {
      onNone: () => Either.right(Option.none()),
      onSome: (value) => Either.mapBoth(parseDate(value), { onLeft: (message) => rejected(`${label} ${message}`), onRight: Option.some })
    })

  const frnText = text("FRN")
  if (Option.isNone(frnText)) return yield* rejected("it has no FRN row")
  const frn: Frn = yield* Either.mapLeft(parseFrn(frnText.value), (message) => rejected(`FRN ${message}`))
  const entityName = text("Entity Name")
  if (Option.isNone(entityName)) return yield* rejected("it has no Entity Name row")
  const address = page.fields.get(labelKey("Contact Address")) ?? []

  return {
    _tag: "CoresRegistration",
    frn,
    entityName: entityName.value,
    entityType: text("Entity Type"),
    registrationDate: yield* date("Registration Date"),
    lastUpdated: yield* date("Last Updated"),
    contactOrganization: text("Contact Organization"),
    contactAddress: address.length === 0 ? Option.none() : Option.some(address.join(", "))
  } satisfies CoresPage
})

/** Reads the saved CORES page at `path` and parses it as `parse` does. Fails with `FileUnreadable` when the file cannot be read. */
export const open = Effect.fn("CoresPageReader.open")(function*(path: string): Effect.fn.Return<CoresPage, FileUnreadable> {
  const html = yield* Effect.tryPromise({
    try: () => readFile(path, "utf8"),
    catch: (error) => new FileUnreadable({ file: path, message: `Cannot read ${path}: ${String(error)}. Check that the file exists and is readable.` })
  })
  return yield* parse(html, path)
})

/**
 * Returns the FRN in a saved page's file name, such as `frn-0003768165.html`
 * or `frn-0000000000-no-record.html`, or `None` when the name has no
 * `frn-` prefix followed by exactly 10 digits.
 */
export const frnFromFileName = (path: string): Option.Option<Frn> => {
  const match = /^frn-(\d{10})(?:[-.]|$)/i.exec(basename(path))
  return match?.[1] === undefined ? Option.none() : Either.getRight(parseFrn(match[1]))
}
