/**
 * The annual CPNI certification under 47 C.F.R. § 64.2009(e) with its
 * statement of operating procedures, filed in EB Docket No. 06-36.
 */
import { defineTemplate } from "../DocumentTemplate.ts"
import { formatLongDate } from "./Formatting.ts"
import {
  CalendarDate,
  Count,
  Filer499Id,
  formatUsAddress,
  Frn,
  Line,
  ObjectOf,
  SampleFlag,
  Text,
  UsAddress,
  Year
} from "./TemplateFields.ts"

/** Input of the CPNI certification. */
export const CpniCertificationData = ObjectOf({
  legalName: Line(200).annotations({ description: "the legal name of the company the certification covers" }),
  frn: Frn.annotations({ description: "the company's FCC Registration Number, 10 digits with leading zeros kept" }),
  filer499Id: Filer499Id.annotations({ description: "the company's Form 499 Filer ID, 6 digits" }),
  address: UsAddress.annotations({ description: "the company's address, an object with street, city, state and postalCode" }),
  officerName: Line(120).annotations({ description: "the full name of the officer who signs" }),
  officerTitle: Line(120).annotations({ description: "the title of the officer who signs, such as Chief Executive Officer" }),
  calendarYear: Year.annotations({ description: "the calendar year the certification covers, such as 2024" }),
  preparedOn: CalendarDate.annotations({ description: "the filing date as YYYY-MM-DD, such as 2025-02-14" }),
  operatingProcedures: Text(8000).annotations({
    description: "the statement of how the company's operating procedures ensure compliance with the CPNI rules"
  }),
  dataBrokerActions: Text(4000).annotations({
    description: "the actions taken against data brokers during the year, or a sentence saying there were none"
  }),
  complaintsEmployees: Count.annotations({
    description: "the number of complaints about improper access to CPNI by employees, 0 or more"
  }),
  complaintsDisclosure: Count.annotations({
    description: "the number of complaints about improper disclosure of CPNI to unauthorized individuals, 0 or more"
  }),
  complaintsOnline: Count.annotations({
    description: "the number of complaints about improper access to online information by unauthorized individuals, 0 or more"
  }),
  sample: SampleFlag
})

/**
 * The CPNI certification. Its values keep the placeholder names the
 * certification workflow fills; `complaintsTotal` is the sum of the three
 * complaint counts.
 */
export const cpniCertification = defineTemplate({
  slug: "cpni-certification",
  title: "CPNI certification",
  schema: CpniCertificationData,
  values: (data) => ({
    legalName: data.legalName,
    frn: data.frn,
    filer499Id: data.filer499Id,
    address: formatUsAddress(data.address),
    officerName: data.officerName,
    officerTitle: data.officerTitle,
    calendarYear: String(data.calendarYear),
    preparedOn: formatLongDate(data.preparedOn),
    operatingProcedures: data.operatingProcedures,
    dataBrokerActions: data.dataBrokerActions,
    complaintsEmployees: String(data.complaintsEmployees),
    complaintsDisclosure: String(data.complaintsDisclosure),
    complaintsOnline: String(data.complaintsOnline),
    complaintsTotal: String(data.complaintsEmployees + data.complaintsDisclosure + data.complaintsOnline),
    sample: data.sample
  })
})
