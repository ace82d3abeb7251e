/**
 * Carrier identity: FCC Registration Number, legal name, address, 499 Filer ID.
 */
import { Schema } from "effect"
import { UsState } from "./UsState.ts"

/** FCC Registration Number: exactly 10 digits, leading zeros kept (a string, never a number). */
export const Frn = Schema.String.pipe(
  Schema.pattern(/^\d{10}$/, {
    message: (issue) => `FRN must be exactly 10 digits with leading zeros kept, such as 0018538512 (got ${JSON.stringify(issue.actual)})`
  }),
  Schema.brand("Frn")
).annotations({ identifier: "Frn", description: "FCC Registration Number, 10 digits" })
export type Frn = typeof Frn.Type

/** USAC Form 499 Filer ID: six digits. */
export const Filer499Id = Schema.String.pipe(
  Schema.pattern(/^\d{6}$/, {
    message: (issue) => `499 Filer ID must be exactly 6 digits, such as 801003 (got ${JSON.stringify(issue.actual)})`
  })
).annotations({ identifier: "Filer499Id", description: "USAC Form 499 Filer ID, 6 digits" })

const NonEmptyText = (label: string, maxLength: number) =>
  Schema.Trim.pipe(
    Schema.nonEmptyString({ message: () => `${label} is empty` }),
    Schema.maxLength(maxLength, { message: () => `${label} is longer than ${maxLength} characters` })
  )

/** A US postal address. */
export class Address extends Schema.Class<Address>("Address")({
  street: NonEmptyText("street", 200),
  city: NonEmptyText("city", 100),
  state: UsState,
  postalCode: Schema.String.pipe(
    Schema.pattern(/^\d{5}(-\d{4})?$/, { message: () => "postalCode must be a ZIP code such as 04353 or 04353-1234" })
  )
}) {}

/** Formats an address on one line, as filings print it. */
export const formatAddress = (address: Address): string =>
  `${address.street}, ${address.city}, ${address.state} ${address.postalCode}`

/** The carrier profile an order is filed for. */
export class CarrierProfile extends Schema.Class<CarrierProfile>("CarrierProfile")({
  frn: Frn,
  legalName: NonEmptyText("legalName", 200),
  filer499Id: Filer499Id,
  address: Address
}) {}
