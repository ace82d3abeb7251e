/**
 * Findings read from the Form 499 Filer Database: the filer's Form 499-A,
 * its Form 499-Q and de minimis position, and its D.C. agent.
 */
import type { LocalDate } from "@pw/domain/compliance/PlannedEntry"
import type { FrnRecords } from "@pw/fcc-data/FccDataStore"
import { type CheckCalendar, form499aDue, form499qDue } from "./CheckCalendar.ts"
import { Finding, Remedy } from "./FccCheckReport.ts"
import * as Sources from "./FindingSources.ts"

const form499aRule = "47 CFR 54.711(a); Form 499-A instructions: every telecommunications carrier and interconnected VoIP provider registers with USAC and files Form 499-A by April 1 each year (the next business day when April 1 is a weekend or federal holiday), reporting the prior year's revenue. USAC charges a late fee after 30 days."
const form499qRule = "47 CFR 54.711(a) and 54.708: USF contributors file Form 499-Q by February 1, May 1, August 1 and November 1. A de minimis filer, whose yearly contribution would be under $10,000, skips it; interconnected VoIP providers file even when de minimis."
const dcAgentRule = "Communications Act section 413; Form 499-A instructions, Block 2-B (lines 209-218): every filer names an agent for service of process in the District of Columbia."

const deMinimisTradeOff = "The trade-off: a de minimis filer pays no USF contribution of its own and skips Form 499-Q, but its wholesale carriers treat it as an end user and pass their USF charges through on what it buys. A contributor pays USF on its own revenue and files quarterly, and can buy wholesale service free of those pass-through charges with a reseller certificate. De minimis is tested each year on the prior year's interstate and international revenue (about $39,062 for 2025 at a factor of 0.256, unverified)."

/** Form 499 filer status: the last filing against the latest April 1 due date. */
export const form499Finding = (records: FrnRecords, today: LocalDate, calendar: CheckCalendar): Finding => {
  const base = { key: "form-499-filer" as const, title: "Form 499 filer status (Form 499-A)", rule: form499aRule }
  const source = Sources.form499Database(records.datasets.form499)
  const filer = records.filers[0]
  if (records.datasets.form499 === undefined) {
    return new Finding({
      ...base,
      status: "unknown",
      dueDate: calendar.nextDue(today, form499aDue),
      explanation: "The Form 499 Filer Database has not been loaded here, so the filer status cannot be checked.",
      source
    })
  }
  if (filer === undefined) {
    return new Finding({
      ...base,
      status: "missing",
      explanation: "The Form 499 Filer Database has no filer with this FRN: the carrier has no 499 Filer ID, and files no Form 499-A.",
      source,
      remedy: new Remedy({ service: "fcc-499-initial", name: "Initial Form 499" })
    })
  }
  const lastDue = calendar.lastDue(today, form499aDue)
  const nextDue = calendar.nextDue(today, form499aDue)
  const lastFiling = filer.last_filing
  const facts = {
    filer499Id: filer.filer_id,
    legalName: filer.legal_name,
    usfContributor: filer.usf_contributor ? "Yes" : "No",
    ...(lastFiling === null ? {} : { lastFiling }),
    ...(filer.principal_comm_type === null ? {} : { principalCommType: filer.principal_comm_type })
  }
  const shown = lastFiling === null ? "shows no last filing date" : `shows the last Form 499 filed on ${lastFiling}`
  if (lastFiling !== null && lastFiling.slice(0, 4) >= lastDue.slice(0, 4)) {
    return new Finding({
      ...base,
      status: "ok",
      dueDate: nextDue,
      explanation: `Filer ${filer.filer_id} (${filer.legal_name}) ${shown}, which covers the Form 499-A due ${lastDue}. The next one is due ${nextDue}.`,
      source,
      facts
    })
  }
  return new Finding({
    ...base,
    status: "action_needed",
    dueDate: lastDue,
    explanation: `Filer ${filer.filer_id} (${filer.legal_name}) ${shown}; the Form 499-A due ${lastDue} is not on record. The next one is due ${nextDue}.`,
    source,
    remedy: new Remedy({ service: "fcc-499a", name: "Form 499-A" }),
    facts
  })
}

/** Form 499-Q and the de minimis trade-off, from the filer's USF contributor flag. */
export const form499qFinding = (records: FrnRecords, today: LocalDate, calendar: CheckCalendar): Finding => {
  const base = { key: "form-499q" as const, title: "Form 499-Q and de minimis status", rule: form499qRule }
  const source = Sources.form499Database(records.datasets.form499)
  const filer = records.filers[0]
  const nextDue = calendar.nextDue(today, form499qDue)
  const remedy = new Remedy({ service: "fcc-499a-499q", name: "Form 499-A and 499-Q" })
  if (filer === undefined) {
    return new Finding({
      ...base,
      status: "not_applicable",
      explanation: `Form 499-Q follows registration as a Form 499 filer, which this FRN lacks. ${deMinimisTradeOff}`,
      source
    })
  }
  const voip = (filer.principal_comm_type ?? "").toLowerCase().includes("voip")
  if (filer.usf_contributor) {
    return new Finding({
      ...base,
      status: "unknown",
      dueDate: nextDue,
      explanation: `The filer database lists ${filer.legal_name} as a USF contributor, so it is not de minimis and files Form 499-Q each quarter; the next is due ${nextDue}. Quarterly filings are not in any public bulk data, so they cannot be confirmed here. ${deMinimisTradeOff}`,
      source,
      remedy,
      facts: { usfContributor: "Yes" }
    })
  }
  return new Finding({
    ...base,
    status: voip ? "unknown" : "not_applicable",
    ...(voip ? { dueDate: nextDue } : {}),
    explanation: voip
      ? `The filer database lists ${filer.legal_name} as not contributing to the USF, but as an interconnected VoIP provider it files the quarterly worksheets even when de minimis; the next is due ${nextDue}. ${deMinimisTradeOff}`
      : `The filer database lists ${filer.legal_name} as not contributing to the USF, which is what a de minimis filer shows: it skips Form 499-Q. ${deMinimisTradeOff}`,
    source,
    ...(voip ? { remedy } : {}),
    facts: { usfContributor: "No" }
  })
}

/** D.C. agent for service of process, as named on the filer's Form 499-A. */
export const dcAgentFinding = (records: FrnRecords): Finding => {
  const base = { key: "dc-agent" as const, title: "D.C. agent for service of process", rule: dcAgentRule }
  const source = Sources.form499Database(records.datasets.form499)
  const remedy = new Remedy({ service: "dc-agent", name: "D.C. agent for service of process" })
  const filer = records.filers[0]
  if (filer === undefined) {
    return new Finding({
      ...base,
      status: records.datasets.form499 === undefined ? "unknown" : "missing",
      explanation: "No Form 499 filing names a D.C. agent for this FRN; one is needed with the first Form 499-A.",
      source,
      remedy
    })
  }
  if (filer.dc_agent !== null) {
    return new Finding({
      ...base,
      status: "ok",
      explanation: `Filer ${filer.filer_id} names ${filer.dc_agent}${filer.dc_agent_address === null ? "" : `, ${filer.dc_agent_address}`}.`,
      source,
      facts: { dcAgent: filer.dc_agent, ...(filer.dc_agent_address === null ? {} : { dcAgentAddress: filer.dc_agent_address }) }
    })
  }
  return new Finding({
    ...base,
    status: "missing",
    explanation: `Filer ${filer.filer_id} names no D.C. agent in the filer database.`,
    source,
    remedy
  })
}
