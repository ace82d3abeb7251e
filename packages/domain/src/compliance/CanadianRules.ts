/**
 * Obligations of a Canadian carrier: British Columbia corporate filings, CRA
 * returns, CRTC filings and the renewals that keep a Canadian presence.
 */
import type { Applicability } from "./Applicability.ts"
import type { ComplianceEventKind } from "./ComplianceProfile.ts"
import { ObligationRule } from "./ObligationRule.ts"
import { RuleSource } from "./PlannedEntry.ts"

const federal = { timeZone: "America/Toronto", holidayCalendar: "ca-federal", roll: "next-business-day" } as const
const britishColumbia = { jurisdiction: "BC", timeZone: "America/Vancouver", holidayCalendar: "ca-bc", roll: "next-business-day" } as const

const canadian: Applicability = { _tag: "CanadianCorporation" }
const inBritishColumbia: Applicability = { _tag: "CanadianCorporation", provinces: ["BC"] }
const crtcRegistered: Applicability = { _tag: "CrtcRegistered" }

const unconfirmed = (citation: string, url?: string): RuleSource =>
  new RuleSource(url === undefined ? { citation, verified: false } : { citation, url, verified: false })

/** A yearly contract renewal counted from the date the term started; it expires on that date, so it never rolls. */
const renewal = (id: string, title: string, event: ComplianceEventKind, appliesWhen: Applicability): ObligationRule =>
  new ObligationRule({
    id,
    title,
    jurisdiction: "CA",
    timeZone: "America/Vancouver",
    holidayCalendar: "ca-bc",
    roll: "none",
    source: unconfirmed("Term of the provider's contract"),
    appliesWhen,
    due: { _tag: "Anniversary", anchor: { _tag: "Event", kind: event }, monthsAfter: 0, day: "same" },
    note: "Assumes a one-year term renewing on the anniversary of its start; check the contract."
  })

/** Canadian rules; each is unverified unless its date was confirmed on the regulator's page. */
export const canadianRules: ReadonlyArray<ObligationRule> = [
  new ObligationRule({
    ...britishColumbia,
    id: "bc-annual-report",
    title: "BC annual report",
    source: new RuleSource({ citation: "Business Corporations Act (British Columbia), s. 51", verified: true }),
    appliesWhen: inBritishColumbia,
    due: { _tag: "Anniversary", anchor: { _tag: "Incorporation" }, monthsAfter: 2, day: "same" },
    note: "Due within 2 months after each anniversary of the incorporation or recognition date; two missed years can lead to dissolution."
  }),
  new ObligationRule({
    ...federal,
    jurisdiction: "CRA",
    id: "cra-t2-return",
    title: "T2 corporation income tax return",
    source: unconfirmed("Income Tax Act, s. 150(1)(a)"),
    appliesWhen: canadian,
    due: { _tag: "AfterFiscalYearEnd", monthsAfter: 6 }
  }),
  new ObligationRule({
    ...federal,
    jurisdiction: "CRA",
    id: "cra-corporate-tax-balance",
    title: "Corporate income tax balance payment",
    source: unconfirmed("Income Tax Act, s. 157(1)(b)"),
    appliesWhen: canadian,
    due: { _tag: "AfterFiscalYearEnd", monthsAfter: 2 },
    note: "A Canadian-controlled private corporation claiming the small business deduction may have 3 months; this rule uses 2."
  }),
  new ObligationRule({
    ...federal,
    jurisdiction: "CRA",
    id: "cra-gst-hst-return",
    title: "GST/HST return",
    source: new RuleSource({
      citation: "Excise Tax Act, s. 238(1); CRA, GST/HST filing and payment deadlines",
      url: "https://www.canada.ca/en/revenue-agency/services/tax/businesses/topics/gst-hst-businesses/complete-file-return-business/when-file.html",
      verified: true
    }),
    appliesWhen: { _tag: "RegisteredFor", tax: "gst-hst" },
    due: { _tag: "ByFilingFrequency", tax: "gst-hst", periods: "fiscal-year", monthsAfter: { monthly: 1, quarterly: 1, annual: 3 } },
    note: "Payment is due with the return."
  }),
  new ObligationRule({
    ...federal,
    jurisdiction: "CRA",
    id: "cra-t4-slips",
    title: "T4 and T4A slips and summary",
    source: unconfirmed("Income Tax Regulations, s. 205(1)"),
    appliesWhen: { _tag: "All", predicates: [canadian, { _tag: "HasEmployees" }] },
    due: { _tag: "Annual", month: 2, day: "last", periodYearOffset: -1 }
  }),
  new ObligationRule({
    ...britishColumbia,
    id: "bc-pst-return",
    title: "BC PST return",
    source: unconfirmed("Provincial Sales Tax Act (British Columbia)"),
    appliesWhen: { _tag: "All", predicates: [inBritishColumbia, { _tag: "RegisteredFor", tax: "pst" }] },
    due: { _tag: "ByFilingFrequency", tax: "pst", periods: "calendar-year", monthsAfter: { monthly: 1, quarterly: 1, annual: 1 } },
    note: "Due the last day of the month after the reporting period. Semi-annual PST filers are not modelled."
  }),
  new ObligationRule({
    ...britishColumbia,
    jurisdiction: "WorkSafeBC",
    id: "worksafebc-premiums",
    title: "WorkSafeBC payroll report and premium",
    source: unconfirmed("Workers Compensation Act (British Columbia)"),
    appliesWhen: { _tag: "All", predicates: [inBritishColumbia, { _tag: "HasEmployees" }] },
    due: {
      _tag: "DateList",
      dates: [
        { month: 1, day: 20, yearOffset: -1, suffix: "-Q4" },
        { month: 4, day: 20, yearOffset: 0, suffix: "-Q1" },
        { month: 7, day: 20, yearOffset: 0, suffix: "-Q2" },
        { month: 10, day: 20, yearOffset: 0, suffix: "-Q3" }
      ]
    },
    note: "Assumes quarterly reporting due on the 20th of the month after each quarter."
  }),
  new ObligationRule({
    ...federal,
    jurisdiction: "CRTC",
    id: "crtc-annual-data-collection",
    title: "CRTC annual data collection forms",
    source: unconfirmed("Telecom Circular CRTC 2003-1", "https://crtc.gc.ca/eng/archive/2003/ct2003-1.htm"),
    appliesWhen: crtcRegistered,
    due: { _tag: "Annual", month: 3, day: 31, periodYearOffset: -1 },
    note: "March 31 is the date the Commission set in past years; each year's instruction letter sets the actual date."
  }),
  new ObligationRule({
    ...federal,
    jurisdiction: "CRTC",
    id: "crtc-annual-maintenance",
    title: "CRTC registration annual review",
    source: unconfirmed("Telecom Regulatory Policy CRTC 2017-11"),
    appliesWhen: crtcRegistered,
    due: { _tag: "Anniversary", anchor: { _tag: "Event", kind: "crtc-registration" }, monthsAfter: 0, day: "same" },
    note: "A yearly check that the CRTC registration lists current details, on the registration anniversary."
  }),
  new ObligationRule({
    ...federal,
    jurisdiction: "CRTC",
    id: "crtc-registration-update",
    title: "CRTC registration update",
    source: unconfirmed("Telecom Regulatory Policy CRTC 2017-11"),
    appliesWhen: crtcRegistered,
    due: { _tag: "AfterEvent", event: "crtc-registration-change", count: 30, unit: "days" },
    note: "No deadline was found for reporting a change; 30 days is an internal target."
  }),
  renewal("ccts-renewal", "CCTS participation renewal", "ccts-participation-start", crtcRegistered),
  renewal("mailbox-renewal", "Canadian mailbox renewal", "mailbox-term-start", canadian),
  renewal("domain-renewal", "Domain name renewal", "domain-registration", canadian),
  renewal("did-renewal", "Canadian DID number renewal", "did-term-start", canadian)
]
