/**
 * The columns of the Robocall Mitigation Database CSV export and the
 * matching of a header row against them. Header names are compared after
 * lower-casing and removing everything but letters and digits, so
 * "Other FRN(s)", "other_frns" and "OTHER FRNS" are the same column.
 */

/** The `RmdFiling` fields a column can fill. */
export type RmdField =
  | "frn"
  | "businessName"
  | "implementation"
  | "voiceServiceProvider"
  | "gatewayProvider"
  | "nonGatewayIntermediateProvider"
  | "foreignVoiceProvider"
  | "otherFrns"
  | "lastUpdated"
  | "lastRecertified"

// NOTE: these spellings were not checked against a downloaded export. An unlisted spelling of an optional column lands in `ignored`.
const aliases: ReadonlyArray<readonly [RmdField, ReadonlyArray<string>]> = [
  ["frn", ["FRN", "FCC Registration Number", "FCC Registration Number (FRN)"]],
  ["businessName", ["Business Name", "Legal Business Name"]],
  ["implementation", ["Implementation", "STIR/SHAKEN Implementation"]],
  ["voiceServiceProvider", ["Voice Service Provider", "Voice Service Provider Choice"]],
  ["gatewayProvider", ["Gateway Provider", "Gateway Provider Choice"]],
  ["nonGatewayIntermediateProvider", ["Non-Gateway Intermediate Provider", "Non-Gateway Intermediate Provider Choice"]],
  ["foreignVoiceProvider", ["Foreign Voice Provider"]],
  ["otherFrns", ["Other FRNs", "Other FRN"]],
  ["lastUpdated", ["Last Updated", "Last Updated Date"]],
  ["lastRecertified", ["Last Recertified", "Last Recertified Date"]]
]

/** Columns of the export that no `RmdFiling` field holds; they are read past without being reported as ignored. */
const unusedColumns: ReadonlyArray<string> = [
  "Previous Business Names", "Other DBA Names", "Business Address", "Country",
  "Robocall Mitigation Contact Name", "Contact Title", "Contact Department", "Contact Business Address",
  "Contact Telephone Number", "Contact Email"
]

/** Columns without which a file is not a Robocall Mitigation Database export, with their usual header name. */
export const rmdRequiredColumns: ReadonlyArray<readonly [RmdField, string]> = [["businessName", "Business Name"], ["frn", "FRN"]]

const normalized = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, "")

const fieldByName: ReadonlyMap<string, RmdField> = new Map(
  aliases.flatMap(([field, names]) => names.map((name) => [normalized(name), field] as const))
)
const unusedNames: ReadonlySet<string> = new Set(unusedColumns.map(normalized))

/** A header row matched against the known columns. */
export interface RmdHeader {
  /** 0-based field index of each field's column; the first matching column wins. */
  readonly indexes: ReadonlyMap<RmdField, number>
  /** The header text of each field's column, for messages. */
  readonly names: ReadonlyMap<RmdField, string>
  /** Number of fields in the header row. */
  readonly width: number
  /** Usual names of the required columns the header lacks. */
  readonly missing: ReadonlyArray<string>
  /** Header names that match no known column, or repeat a matched one, in file order. */
  readonly ignored: ReadonlyArray<string>
}

/** Matches the fields of a CSV header row against the known columns and their aliases. */
export const matchRmdHeader = (fields: ReadonlyArray<string>): RmdHeader => {
  const indexes = new Map<RmdField, number>()
  const names = new Map<RmdField, string>()
  const ignored: Array<string> = []
  fields.forEach((name, index) => {
    const key = normalized(name)
    const field = fieldByName.get(key)
    if (field !== undefined && !indexes.has(field)) {
      indexes.set(field, index)
      names.set(field, name.trim())
    } else if (key !== "" && (field !== undefined || !unusedNames.has(key))) {
      ignored.push(name.trim())
    }
  })
  const missing = rmdRequiredColumns.filter(([field]) => !indexes.has(field)).map(([, name]) => name)
  return { indexes, names, width: fields.length, missing, ignored }
}
