/**
 * Findings on the carrier's FCC registrations: its CORES record and its
 * Robocall Mitigation Database filing.
 */
import type { LocalDate } from "@pw/domain/compliance/PlannedEntry"
import type { FrnRecords } from "@pw/fcc-data/FccDataStore"
import { type CheckCalendar, marchFirst } from "./CheckCalendar.ts"
import { Finding, Remedy } from "./FccCheckReport.ts"
import * as Sources from "./FindingSources.ts"

const coresRule = "47 CFR 1.8002: every entity doing business with the FCC registers in CORES and gets an FCC Registration Number (FRN) before its first filing, and keeps the record current."
const rmdRule = "47 CFR 64.6305; FCC DA 26-72, WC Docket No. 24-213: voice service and gateway providers file in the Robocall Mitigation Database before carrying traffic and recertify by March 1 each year (first recertification March 1, 2026); $100 fee per filing."

/** First year a Robocall Mitigation Database recertification was due. */
const firstRecertificationYear = 2026

/** CORES: a red light when CORES has no registration for the FRN. */
export const coresFinding = (records: FrnRecords): Finding => {
  const base = { key: "cores-registration" as const, title: "CORES registration (FRN)", rule: coresRule }
  const cores = records.cores
  if (cores !== null && cores.found) {
    return new Finding({
      ...base,
      status: "ok",
      explanation: `CORES lists ${cores.entity_name ?? "a registration"} under this FRN${cores.registration_date === null ? "" : `, registered ${cores.registration_date}`}${cores.last_updated === null ? "" : ` and last updated ${cores.last_updated}`}.`,
      source: Sources.coresRegistration(cores.as_of),
      facts: {
        ...(cores.entity_name === null ? {} : { entityName: cores.entity_name }),
        ...(cores.entity_type === null ? {} : { entityType: cores.entity_type }),
        ...(cores.registration_date === null ? {} : { registrationDate: cores.registration_date }),
        ...(cores.last_updated === null ? {} : { lastUpdated: cores.last_updated })
      }
    })
  }
  if (cores !== null) {
    return new Finding({
      ...base,
      status: "missing",
      explanation: "CORES has no registration for this FRN. No FCC filing can be made without one.",
      source: Sources.coresRegistration(cores.as_of),
      remedy: new Remedy({ service: "cores-frn-registration", name: "CORES FRN registration" })
    })
  }
  const filer = records.filers[0]
  if (filer !== undefined) {
    return new Finding({
      ...base,
      status: "ok",
      explanation: `No CORES page for this FRN is loaded, but the Form 499 Filer Database lists it for ${filer.legal_name}, and USAC takes only registered FRNs.`,
      source: Sources.form499Database(records.datasets.form499)
    })
  }
  return new Finding({
    ...base,
    status: "unknown",
    explanation: "No CORES page for this FRN is loaded, and no other loaded FCC data set lists it, so its registration cannot be confirmed here.",
    source: Sources.coresRegistration(undefined),
    remedy: new Remedy({ service: "cores-frn-registration", name: "CORES FRN registration" })
  })
}

/** Robocall Mitigation Database: filed, and recertified by the last March 1. */
export const rmdFinding = (records: FrnRecords, today: LocalDate, calendar: CheckCalendar): Finding => {
  const base = { key: "robocall-mitigation-database" as const, title: "Robocall Mitigation Database", rule: rmdRule }
  const source = Sources.robocallMitigationDatabase(records.datasets.rmd)
  const remedy = new Remedy({ service: "rmd-filing", name: "Robocall Mitigation Database filing" })
  const nextDue = calendar.nextDue(today, marchFirst)
  const filing = records.rmd[0]
  if (records.datasets.rmd === undefined) {
    return new Finding({
      ...base,
      status: "unknown",
      dueDate: nextDue,
      explanation: "The Robocall Mitigation Database has not been loaded here, so the filing cannot be checked.",
      source,
      remedy
    })
  }
  if (filing === undefined) {
    return new Finding({
      ...base,
      status: "missing",
      explanation: "No published Robocall Mitigation Database filing names this FRN. Other providers must refuse traffic from a voice provider that is not listed.",
      source,
      remedy
    })
  }
  const lastDue = calendar.lastDue(today, marchFirst)
  const recertified = filing.last_recertified ?? filing.last_updated
  const facts = {
    businessName: filing.business_name,
    ...(filing.implementation === null ? {} : { implementation: filing.implementation }),
    ...(filing.last_updated === null ? {} : { lastUpdated: filing.last_updated }),
    ...(filing.last_recertified === null ? {} : { lastRecertified: filing.last_recertified })
  }
  const deadlinePassed = Number(lastDue.slice(0, 4)) >= firstRecertificationYear
  if (!deadlinePassed || (recertified !== null && recertified.slice(0, 4) >= lastDue.slice(0, 4))) {
    return new Finding({
      ...base,
      status: "ok",
      dueDate: nextDue,
      explanation: `Filed as ${filing.business_name}${recertified === null ? "" : `, last recertified or updated ${recertified}`}. The next recertification is due ${nextDue}.`,
      source,
      facts
    })
  }
  return new Finding({
    ...base,
    status: "action_needed",
    dueDate: lastDue,
    explanation: `Filed as ${filing.business_name}, but ${recertified === null ? "no recertification date is shown" : `the last recertification or update is ${recertified}`}; the recertification due ${lastDue} is not on record.`,
    source,
    remedy,
    facts
  })
}
