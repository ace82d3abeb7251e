/**
 * US states, the District of Columbia and territories by USPS code.
 */
import { Schema } from "effect"

/** USPS two-letter codes of the 50 states, D.C. and the inhabited territories. */
export const usStateCodes = [
  "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
  "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH",
  "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
  "AS", "GU", "MP", "PR", "VI"
] as const

/** A USPS state or territory code such as `WY`. */
export const UsState = Schema.Literal(...usStateCodes).annotations({
  identifier: "UsState",
  description: "USPS two-letter state or territory code, upper case, such as WY",
  message: (issue) => `state must be a USPS two-letter code in upper case, such as WY (got ${JSON.stringify(issue.actual)})`
})
export type UsState = typeof UsState.Type
