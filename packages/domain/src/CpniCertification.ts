/**
 * The facts a CPNI annual certification (47 CFR 64.2009(e)) states.
 */
import { Schema } from "effect"

const Count = (label: string) =>
  Schema.Int.pipe(Schema.nonNegative({ message: () => `${label} must be a whole number of 0 or more` }))

const Statement = (label: string, maxLength: number) =>
  Schema.Trim.pipe(
    Schema.nonEmptyString({ message: () => `${label} is empty; state it in full, or "None" where nothing applies` }),
    Schema.maxLength(maxLength, { message: () => `${label} is longer than ${maxLength} characters` })
  )

/** Customer complaints about unauthorized release of CPNI in the year covered, by category. */
export class ComplaintCounts extends Schema.Class<ComplaintCounts>("ComplaintCounts")({
  improperAccessByEmployees: Count("improperAccessByEmployees"),
  improperDisclosureToUnauthorizedIndividuals: Count("improperDisclosureToUnauthorizedIndividuals"),
  improperOnlineAccess: Count("improperOnlineAccess")
}) {}

/** Total of all complaint categories. */
export const totalComplaints = (counts: ComplaintCounts): number =>
  counts.improperAccessByEmployees + counts.improperDisclosureToUnauthorizedIndividuals + counts.improperOnlineAccess

/**
 * The facts the officer certifies. `calendarYear` is the year covered, and
 * the certification is filed by March 1 of the following year.
 */
export class CpniCertificationFacts extends Schema.Class<CpniCertificationFacts>("CpniCertificationFacts")({
  officerName: Statement("officerName", 120),
  officerTitle: Statement("officerTitle", 120),
  calendarYear: Schema.Int.pipe(
    Schema.between(2007, 2100, { message: () => "calendarYear must be a four-digit year from 2007 on, such as 2025" })
  ),
  operatingProcedures: Statement("operatingProcedures", 8_000),
  complaints: ComplaintCounts,
  dataBrokerActions: Statement("dataBrokerActions", 4_000)
}) {}
