/**
 * The sources of the findings' facts, named so that a reader of the report
 * can look them up.
 */
import type { LocalDate } from "@pw/domain/compliance/PlannedEntry"
import { FindingSource } from "./FccCheckReport.ts"

/** The Form 499 Filer Database export, as of its import date. */
export const form499Database = (asOf: LocalDate | undefined) =>
  new FindingSource({
    name: "FCC Form 499 Filer Database",
    ...(asOf === undefined ? {} : { asOf }),
    url: "https://apps.fcc.gov/cgb/form499/499a.cfm"
  })

/** The Robocall Mitigation Database export, as of its import date. */
export const robocallMitigationDatabase = (asOf: LocalDate | undefined) =>
  new FindingSource({
    name: "FCC Robocall Mitigation Database",
    ...(asOf === undefined ? {} : { asOf }),
    url: "https://fccprod.servicenowservices.com/rmd"
  })

/** The CORES registration detail page of the FRN, as of the date it was read. */
export const coresRegistration = (asOf: LocalDate | undefined) =>
  new FindingSource({
    name: "FCC CORES registration detail",
    ...(asOf === undefined ? {} : { asOf }),
    url: "https://apps.fcc.gov/cores/"
  })

/** The platform's own orders and compliance calendar. */
export const platformRecords = new FindingSource({ name: "Performance West order and compliance calendar records" })

/** The carrier's answers to the check's questions. */
export const carrierAnswers = new FindingSource({ name: "The carrier's answers to this check's questions" })
