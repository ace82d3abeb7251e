/**
 * Data of the Canadian provinces and territories. No registry fee is on file
 * for any of them, so every fee is absent.
 */
import type { CanadianProvince } from "./ComplianceProfile.ts"
import { canadianRules } from "./CanadianRules.ts"
import type { JurisdictionFields } from "./Jurisdictions.ts"
import { RuleSource } from "./PlannedEntry.ts"

type Kind = JurisdictionFields["kind"]
type Zones = JurisdictionFields["timeZones"]

/** Ids of the rules that model a province's yearly corporate filing. */
const annualRuleIds: Partial<Record<CanadianProvince, string>> = { BC: "bc-annual-report" }

const annualFiling = (province: CanadianProvince): Pick<JurisdictionFields, "annualFiling"> => {
  const rule = canadianRules.find((candidate) => candidate.id === annualRuleIds[province])
  return rule === undefined ? {} : { annualFiling: { ruleId: rule.id, due: rule.due } }
}

const canadian = (province: CanadianProvince, name: string, kind: Kind, timeZones: Zones): JurisdictionFields => ({
  code: `CA-${province}`,
  abbreviation: province,
  name,
  country: "CA",
  kind,
  timeZones,
  ...annualFiling(province),
  source: new RuleSource({ citation: "Canada Post provincial abbreviations; IANA time zone database", verified: false })
})

/** The 10 provinces and 3 territories by Canada Post abbreviation. */
export const canadianJurisdictionData: Readonly<Record<CanadianProvince, JurisdictionFields>> = {
  AB: canadian("AB", "Alberta", "province", ["America/Edmonton"]),
  BC: canadian("BC", "British Columbia", "province", ["America/Vancouver", "America/Edmonton", "America/Dawson_Creek", "America/Fort_Nelson", "America/Creston"]),
  MB: canadian("MB", "Manitoba", "province", ["America/Winnipeg"]),
  NB: canadian("NB", "New Brunswick", "province", ["America/Moncton"]),
  NL: canadian("NL", "Newfoundland and Labrador", "province", ["America/St_Johns", "America/Goose_Bay"]),
  NS: canadian("NS", "Nova Scotia", "province", ["America/Halifax", "America/Glace_Bay"]),
  NT: canadian("NT", "Northwest Territories", "territory", ["America/Yellowknife", "America/Inuvik"]),
  NU: canadian("NU", "Nunavut", "territory", ["America/Iqaluit", "America/Rankin_Inlet", "America/Cambridge_Bay", "America/Resolute", "America/Atikokan"]),
  ON: canadian("ON", "Ontario", "province", ["America/Toronto", "America/Winnipeg", "America/Atikokan"]),
  PE: canadian("PE", "Prince Edward Island", "province", ["America/Halifax"]),
  QC: canadian("QC", "Quebec", "province", ["America/Toronto", "America/Blanc-Sablon"]),
  SK: canadian("SK", "Saskatchewan", "province", ["America/Regina", "America/Swift_Current", "America/Edmonton"]),
  YT: canadian("YT", "Yukon", "territory", ["America/Whitehorse", "America/Dawson"])
}
