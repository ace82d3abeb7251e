/**
 * FCC and USAC obligations of a US carrier.
 */
import type { Applicability } from "./Applicability.ts"
import type { ServiceCategory } from "./ComplianceProfile.ts"
import { ObligationRule } from "./ObligationRule.ts"
import { RuleSource } from "./PlannedEntry.ts"

const fcc = { jurisdiction: "FCC", timeZone: "America/New_York", holidayCalendar: "us-federal", roll: "next-business-day" } as const

const usCarrier: Applicability = { _tag: "UsCarrier" }
const offering = (...anyOf: ReadonlyArray<ServiceCategory>): Applicability => ({
  _tag: "All",
  predicates: [usCarrier, { _tag: "ServiceCategory", anyOf }]
})
const voiceCategories: ReadonlyArray<ServiceCategory> = [
  "interconnected-voip", "non-interconnected-voip", "local-exchange", "interexchange", "wireless", "toll-free"
]

/** FCC and USAC rules: Form 499-A and 499-Q, CPNI, Robocall Mitigation Database, BDC, CALEA and CORES. */
export const fccRules: ReadonlyArray<ObligationRule> = [
  new ObligationRule({
    ...fcc,
    id: "fcc-499a",
    title: "Form 499-A",
    source: new RuleSource({ citation: "47 CFR 54.711(a); FCC Form 499-A instructions", url: "https://www.law.cornell.edu/cfr/text/47/54.711", verified: true }),
    appliesWhen: usCarrier,
    due: { _tag: "Annual", month: 4, day: 1, periodYearOffset: -1 },
    catalogService: "fcc-499a",
    note: "Reports the prior calendar year's revenue. De minimis filers file it too (TRS, NANP, LNP and regulatory fees). USAC charges a late fee when it is not filed within 30 days."
  }),
  new ObligationRule({
    ...fcc,
    id: "fcc-499q",
    title: "Form 499-Q",
    source: new RuleSource({ citation: "47 CFR 54.711(a); 47 CFR 54.708", url: "https://www.law.cornell.edu/cfr/text/47/54.708", verified: true }),
    appliesWhen: {
      _tag: "All",
      predicates: [
        usCarrier,
        { _tag: "Any", predicates: [{ _tag: "Not", predicate: { _tag: "DeMinimis" } }, { _tag: "ServiceCategory", anyOf: ["interconnected-voip"] }] }
      ]
    },
    due: {
      _tag: "DateList",
      dates: [
        { month: 2, day: 1, yearOffset: -1, suffix: "-Q4" },
        { month: 5, day: 1, yearOffset: 0, suffix: "-Q1" },
        { month: 8, day: 1, yearOffset: 0, suffix: "-Q2" },
        { month: 11, day: 1, yearOffset: 0, suffix: "-Q3" }
      ]
    },
    note: "Reports actual revenue of the quarter in the period label and projects the quarter after next. De minimis filers skip it, except interconnected VoIP providers, which file even when de minimis."
  }),
  new ObligationRule({
    ...fcc,
    id: "fcc-cpni-certification",
    title: "CPNI annual certification",
    source: new RuleSource({ citation: "47 CFR 64.2009(e); EB Docket No. 06-36; FCC DA 09-240", url: "https://www.law.cornell.edu/cfr/text/47/64.2009", verified: true }),
    appliesWhen: offering(...voiceCategories),
    due: { _tag: "Annual", month: 3, day: 1, periodYearOffset: -1 },
    catalogService: "cpni-certification",
    note: "Signed by an officer; covers the prior calendar year."
  }),
  new ObligationRule({
    ...fcc,
    id: "fcc-rmd-recertification",
    title: "Robocall Mitigation Database recertification",
    source: new RuleSource({ citation: "FCC DA 26-72; WC Docket No. 24-213", verified: true }),
    appliesWhen: offering(...voiceCategories),
    due: { _tag: "Annual", month: 3, day: 1, periodYearOffset: 0 },
    effectiveFrom: 2026,
    catalogService: "rmd-filing",
    note: "The FCC charges a $100 fee for each recertification; that is the government fee, not the Performance West price."
  }),
  new ObligationRule({
    ...fcc,
    id: "fcc-bdc",
    title: "Broadband Data Collection",
    source: new RuleSource({ citation: "FCC DA 22-1372", verified: true }),
    appliesWhen: offering("broadband", "interconnected-voip", "local-exchange", "wireless"),
    due: {
      _tag: "DateList",
      dates: [
        { month: 3, day: 1, yearOffset: -1, suffix: "-12-31" },
        { month: 9, day: 1, yearOffset: 0, suffix: "-06-30" }
      ]
    },
    catalogService: "bdc-filing",
    note: "The period label is the date the data describes."
  }),
  new ObligationRule({
    ...fcc,
    id: "fcc-calea-ssi-update",
    title: "CALEA System Security and Integrity plan update",
    source: new RuleSource({ citation: "47 CFR 1.20005", url: "https://www.law.cornell.edu/cfr/text/47/1.20005", verified: true }),
    appliesWhen: usCarrier,
    due: { _tag: "AfterEvent", event: "calea-triggering-change", count: 90, unit: "days" },
    catalogService: "calea-ssi",
    note: "Due after a merger, divestiture or amendment that changes the plan."
  }),
  new ObligationRule({
    ...fcc,
    id: "fcc-cores-update",
    title: "CORES registration update",
    source: new RuleSource({ citation: "47 CFR 1.8002", url: "https://www.law.cornell.edu/cfr/text/47/1.8002", verified: false }),
    appliesWhen: usCarrier,
    due: { _tag: "AfterEvent", event: "cores-record-change", count: 10, unit: "business-days" },
    note: "The 10 business days have not been confirmed against 47 CFR 1.8002."
  }),
  new ObligationRule({
    ...fcc,
    id: "fcc-rmd-update",
    title: "Robocall Mitigation Database update",
    source: new RuleSource({ citation: "FCC DA 26-72; WC Docket No. 24-213", verified: true }),
    appliesWhen: offering(...voiceCategories),
    due: { _tag: "AfterEvent", event: "rmd-information-change", count: 10, unit: "business-days" },
    catalogService: "rmd-filing"
  })
]
