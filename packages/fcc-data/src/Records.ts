/**
 * The records the FCC data readers produce, one per row or page, already
 * validated: FRNs are 10 digits, dates are calendar dates.
 */
import { Frn } from "@pw/domain/Carrier"
import { LocalDate } from "@pw/domain/compliance/PlannedEntry"
import { Schema } from "effect"

/** One filer of the Form 499 Filer Database export. */
export class Form499Filer extends Schema.Class<Form499Filer>("Form499Filer")({
  /** `Filer_499_ID`, six digits. */
  filerId: Schema.String,
  /** `CORESID`, the filer's FRN. */
  frn: Frn,
  /** `Legal_Name_of_Carrier`. */
  legalName: Schema.String,
  /** `Doing_Business_As`, when given. */
  doingBusinessAs: Schema.OptionFromNullOr(Schema.String),
  /** `LastFiling`, the date of the filer's last Form 499 filing. */
  lastFiling: Schema.OptionFromNullOr(LocalDate),
  /** `USF_Contributor_1`: whether the filer contributes to the Universal Service Fund. */
  usfContributor: Schema.Boolean,
  /** `Principal_Comm_Type_1`, such as "Incumbent LEC" or "Interconnected VoIP". */
  principalCommType: Schema.OptionFromNullOr(Schema.String),
  /** `Holding_Company`. */
  holdingCompany: Schema.OptionFromNullOr(Schema.String),
  /** `HQ_Address1..3` joined with ", ", `HQ_City`, `HQ_State`, `HQ_Zip_Code`. */
  hqAddress: Schema.OptionFromNullOr(Schema.String),
  hqCity: Schema.OptionFromNullOr(Schema.String),
  hqState: Schema.OptionFromNullOr(Schema.String),
  hqZipCode: Schema.OptionFromNullOr(Schema.String),
  /** `DC_Agent1` and `DC_Agent2` joined with ", ": the D.C. agent for service of process. */
  dcAgent: Schema.OptionFromNullOr(Schema.String),
  /** `DC_Agent_Address1..3`, `DC_Agent_City`, `DC_Agent_State`, `DC_Agent_Zip` on one line. */
  dcAgentAddress: Schema.OptionFromNullOr(Schema.String),
  /** The `form499Column` names of the states and territories whose column is TRUE. */
  jurisdictions: Schema.Array(Schema.String)
}) {}

/** One published filing of the Robocall Mitigation Database export. */
export class RmdFiling extends Schema.Class<RmdFiling>("RmdFiling")({
  frn: Frn,
  businessName: Schema.String,
  /** Such as "Complete STIR/SHAKEN Implementation". */
  implementation: Schema.OptionFromNullOr(Schema.String),
  voiceServiceProvider: Schema.OptionFromNullOr(Schema.Boolean),
  gatewayProvider: Schema.OptionFromNullOr(Schema.Boolean),
  nonGatewayIntermediateProvider: Schema.OptionFromNullOr(Schema.Boolean),
  foreignVoiceProvider: Schema.OptionFromNullOr(Schema.Boolean),
  /** Further FRNs the filing names; the filing counts for each of them too. */
  otherFrns: Schema.Array(Frn),
  lastUpdated: Schema.OptionFromNullOr(LocalDate),
  lastRecertified: Schema.OptionFromNullOr(LocalDate)
}) {}

/** A CORES registration detail page: a registration, or the page CORES serves when the FRN has none. */
export const CoresPage = Schema.Union(
  Schema.TaggedStruct("CoresRegistration", {
    frn: Frn,
    entityName: Schema.String,
    entityType: Schema.OptionFromNullOr(Schema.String),
    registrationDate: Schema.OptionFromNullOr(LocalDate),
    lastUpdated: Schema.OptionFromNullOr(LocalDate),
    contactOrganization: Schema.OptionFromNullOr(Schema.String),
    /** Address lines joined with ", ". */
    contactAddress: Schema.OptionFromNullOr(Schema.String)
  }),
  Schema.TaggedStruct("CoresNoRecord", {})
)
export type CoresPage = typeof CoresPage.Type
