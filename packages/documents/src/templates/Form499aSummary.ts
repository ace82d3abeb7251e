/**
 * A one-page summary of a carrier's FCC Form 499-A: identifiers, the revenue
 * lines reported, the universal service contribution base and whether the
 * carrier is de minimis.
 */
import { Schema } from "effect"
import { defineTemplate } from "../DocumentTemplate.ts"
import { formatLongDate, formatUsd } from "./Formatting.ts"
import {
  CalendarDate,
  Cents,
  Filer499Id,
  Flag,
  Frn,
  Line,
  List,
  ObjectOf,
  problem,
  SampleFlag,
  showValue,
  Year
} from "./TemplateFields.ts"

/** One line of the worksheet and the revenue reported on it. */
const RevenueLine = ObjectOf({
  line: Schema.String.pipe(Schema.pattern(/^\d{3}(\.\d{1,2})?$/)).annotations({
    ...problem((actual) => `expected a worksheet line number such as 404 or 418.4, got ${showValue(actual)}`),
    description: "the worksheet line number, such as 404 or 418.4"
  }),
  description: Line(120).annotations({ description: "what the line reports, such as Fixed local service" }),
  amount: Cents.annotations({ description: "the revenue on the line in US cents as a whole number, such as 123456 for $1,234.56" })
})

/** Input of the Form 499-A filing summary. */
export const Form499aSummaryData = ObjectOf({
  legalName: Line(200).annotations({ description: "the legal name of the filer" }),
  filer499Id: Filer499Id.annotations({ description: "the filer's Form 499 Filer ID, 6 digits" }),
  frn: Frn.annotations({ description: "the filer's FCC Registration Number, 10 digits with leading zeros kept" }),
  reportingYear: Year.annotations({ description: "the calendar year whose revenues the worksheet reports, such as 2024" }),
  preparedOn: CalendarDate.annotations({ description: "the date the summary is prepared, as YYYY-MM-DD" }),
  revenueLines: List(RevenueLine, 1, 100).annotations({
    description: "the revenue lines reported, 1 to 100, each with line, description and amount in cents"
  }),
  contributionBase: Cents.annotations({
    description: "the revenue universal service contributions are assessed on, in US cents as a whole number"
  }),
  deMinimis: Flag.annotations({ description: "true when the filer is de minimis for universal service, false otherwise" }),
  sample: SampleFlag
})

/** The Form 499-A filing summary. `totalRevenue` is the sum of the revenue lines. */
export const form499aSummary = defineTemplate({
  slug: "form-499a-summary",
  title: "Form 499-A filing summary",
  schema: Form499aSummaryData,
  values: (data) => ({
    legalName: data.legalName,
    filer499Id: data.filer499Id,
    frn: data.frn,
    reportingYear: String(data.reportingYear),
    preparedOn: formatLongDate(data.preparedOn),
    revenueLines: data.revenueLines.map((line) => ({
      line: line.line,
      description: line.description,
      amount: formatUsd(line.amount)
    })),
    totalRevenue: formatUsd(data.revenueLines.reduce((sum, line) => sum + line.amount, 0)),
    contributionBase: formatUsd(data.contributionBase),
    deMinimis: data.deMinimis
      ? "Yes. The filer is de minimis and makes no direct universal service contribution for the year."
      : "No. The filer contributes to universal service on the contribution base above.",
    sample: data.sample
  })
})
