/**
 * The carrier id of a compliance calendar: the first part of every entry key
 * `carrierId:obligationId:period`, and the FRN for a US carrier.
 */
import { Schema } from "effect"

/** Letters, digits, `_` and `-`, at most 64; never a colon, which separates the parts of an entry key. */
export const CarrierId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9_-]{1,64}$/, {
    message: (issue) =>
      `carrierId must be 1 to 64 letters, digits, _ or -, such as the FRN 0012345678 (got ${JSON.stringify(issue.actual)})`
  })
).annotations({ identifier: "CarrierId" })
export type CarrierId = typeof CarrierId.Type
