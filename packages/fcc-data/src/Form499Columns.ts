/**
 * The columns of the Form 499 Filer Database bulk export (XLSX) and the
 * matching of a header row against them.
 */
import { jurisdictionsOf } from "@pw/domain/compliance/Jurisdictions"

/** The 122 header names of the export, in the order the FCC writes them: filer data, then one TRUE/FALSE column per state or territory, then three notes. */
export const form499Header: ReadonlyArray<string> = [
  "Filer_499_ID", "LastFiling", "USF_Contributor_1", "Legal_Name_of_Carrier", "Doing_Business_As",
  "Principal_Comm_Type_1", "Holding_Company", "CORESID", "Management_Company", "HQ_Address1", "HQ_Address2",
  "HQ_Address3", "HQ_City", "HQ_State", "HQ_Zip_Code", "Customer_Inquiries_Address1",
  "Customer_Inquiries_Address2", "Customer_Inquiries_Address3", "Customer_Inquiries_City",
  "Customer_Inquiries_State", "Customer_Inquiries_Zip_Code", "Customer_Inquiries_Telephone",
  "Customer_Inquiries_Ext", "Other_Trade_Name1", "Other_Trade_Name2", "Other_Trade_Name3", "Other_Trade_Name4",
  "Other_Trade_Name5", "Other_Trade_Name6", "Other_Trade_Name7", "Other_Trade_Name8", "Other_Trade_Name9",
  "Other_Trade_Name10", "Other_Trade_Name11", "Other_Trade_Name12", "Other_Trade_Name13", "DC_Agent1",
  "DC_Agent2", "DC_Agent_Telephone", "DC_Agent_Ext", "DC_Agent_Fax", "DC_Agent_EMail", "DC_Agent_Address1",
  "DC_Agent_Address2", "DC_Agent_Address3", "DC_Agent_City", "DC_Agent_State", "DC_Agent_Zip",
  "Alternate_Agent1", "Alternate_Agent2", "Alternate_Agent_Telephone", "Alternate_Agent_Ext",
  "Alternate_Agent_Fax", "Alternate_Agent_EMail", "Alternate_Agent_Address1", "Alternate_Agent_Address2",
  "Alternate_Agent_Address3", "Alternate_Agent_City", "Alternate_Agent_State", "Alternate_Agent_Zip_Code",
  "Alabama", "Alaska", "American_Samoa", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
  "Delaware", "District_of_Columbia", "Florida", "Georgia", "Guam", "Hawaii", "Idaho", "Illinois", "Indiana",
  "Iowa", "Johnston_Atoll", "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts",
  "Michigan", "Midway_Atoll", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada",
  "New_Hampshire", "New_Jersey", "New_Mexico", "New_York", "North_Carolina", "North_Dakota",
  "Northern_Mariana_Islands", "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Puerto_Rico", "Rhode_Island",
  "South_Carolina", "South_Dakota", "Tennessee", "Texas", "Utah", "US_Virgin_Islands", "Vermont", "Virginia",
  "Wake_Island", "Washington", "West_Virginia", "Wisconsin", "Wyoming",
  "note1", "note2", "note3"
]

/** Columns without which a file is not a Form 499 Filer Database export. */
export const form499RequiredColumns: ReadonlyArray<string> = [
  "Filer_499_ID", "LastFiling", "USF_Contributor_1", "Legal_Name_of_Carrier", "CORESID"
]

/** The TRUE/FALSE state and territory columns, named as `Jurisdiction.form499Column`. */
export const form499JurisdictionColumns: ReadonlySet<string> = new Set(
  jurisdictionsOf("US").flatMap((jurisdiction) => jurisdiction.form499Column === undefined ? [] : [jurisdiction.form499Column])
)

const knownColumns: ReadonlySet<string> = new Set([...form499Header, ...form499JurisdictionColumns])

/** A header row matched against the known columns. */
export interface Form499Header {
  /** Header name by 1-based column number, for the columns that have a name. */
  readonly names: ReadonlyMap<number, string>
  /** Required columns the header lacks, in the order of `form499RequiredColumns`. */
  readonly missing: ReadonlyArray<string>
  /** Header names that are not columns of the export, in file order. */
  readonly ignored: ReadonlyArray<string>
}

/** Matches header cells (1-based column number to trimmed text) by exact name against the known columns. */
export const matchForm499Header = (cells: ReadonlyMap<number, string>): Form499Header => {
  const names = new Map<number, string>()
  const ignored: Array<string> = []
  for (const [column, text] of cells) {
    if (text === "") continue
    names.set(column, text)
    if (!knownColumns.has(text)) ignored.push(text)
  }
  const present = new Set(names.values())
  return { names, missing: form499RequiredColumns.filter((name) => !present.has(name)), ignored }
}
