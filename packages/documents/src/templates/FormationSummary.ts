/**
 * A summary of a company's formation filing with a US state: filing number
 * and date, registered agent and the fees paid.
 */
import { Schema } from "effect"
import { defineTemplate } from "../DocumentTemplate.ts"
import { formatLongDate, formatUsd } from "./Formatting.ts"
import {
  CalendarDate,
  Cents,
  formatUsAddress,
  Line,
  List,
  ObjectOf,
  SampleFlag,
  StateCode,
  UsAddress
} from "./TemplateFields.ts"
import { usStateNames } from "./UsStateNames.ts"

const Fee = ObjectOf({
  description: Line(200).annotations({ description: "what the fee is for, such as State filing fee" }),
  amount: Cents.annotations({ description: "the fee in US cents as a whole number, such as 10000 for $100.00" })
})

/** Input of the formation summary. */
export const FormationSummaryData = ObjectOf({
  state: StateCode.annotations({ description: "the USPS code of the state the company is formed in, such as WY" }),
  entityName: Line(200).annotations({ description: "the company's name as filed, such as Example Telecom Holdings, LLC" }),
  filingNumber: Line(60).annotations({ description: "the filing or entity number the state assigned" }),
  filedOn: CalendarDate.annotations({ description: "the date the state accepted the filing, as YYYY-MM-DD" }),
  registeredAgent: ObjectOf({
    name: Line(200).annotations({ description: "the name of the registered agent, a person or a company" }),
    address: UsAddress.annotations({
      description: "the registered agent's address in the state of formation, an object with street, city, state and postalCode"
    })
  }).annotations({ description: "the registered agent, an object with name and address" }),
  fees: List(Fee, 1, 50).annotations({ description: "the fees paid, 1 to 50, each with description and amount in cents" }),
  sample: SampleFlag
}).pipe(
  Schema.filter((data) =>
    data.registeredAgent.address.state === data.state
      ? true
      : {
          path: ["registeredAgent", "address", "state"],
          message: `expected ${data.state}, the state of formation, as the registered agent must be there, got ${data.registeredAgent.address.state}`
        }
  )
)

/** The formation summary. `feesTotal` is the sum of the fees. */
export const formationSummary = defineTemplate({
  slug: "formation-summary",
  title: "Formation summary",
  schema: FormationSummaryData,
  values: (data) => ({
    state: usStateNames[data.state],
    entityName: data.entityName,
    filingNumber: data.filingNumber,
    filedOn: formatLongDate(data.filedOn),
    registeredAgentName: data.registeredAgent.name,
    registeredAgentAddress: formatUsAddress(data.registeredAgent.address),
    fees: data.fees.map((fee) => ({ description: fee.description, amount: formatUsd(fee.amount) })),
    feesTotal: formatUsd(data.fees.reduce((sum, fee) => sum + fee.amount, 0)),
    sample: data.sample
  })
})
