/**
 * Field schemas shared by the document templates: text, money in integer
 * cents, dates, contacts and addresses. Each fails with a message such as
 * "expected integer cents, got 12.5", which `TemplateDataInvalid` puts after
 * the path of the field. Each field of a template adds a `description` of
 * the value it expects.
 */
import { Filer499Id as CarrierFiler499Id, Frn as CarrierFrn } from "@pw/domain/Carrier"
import { OrderId as DomainOrderId } from "@pw/domain/Order"
import { UsState } from "@pw/domain/UsState"
import { type ParseResult, Schema } from "effect"
import { formatQuantity, formatUsd } from "./Formatting.ts"

/** Largest amount in cents a field accepts: $100 billion, so sums of 100 lines stay exact integers. */
export const maxCents = 10_000_000_000_000

/** Prints a received value for a message, shortened to 60 characters. */
export const showValue = (actual: unknown): string => {
  if (actual === undefined) return "nothing"
  const shown = JSON.stringify(actual) ?? String(actual)
  return shown.length > 60 ? `${shown.slice(0, 57)}...` : shown
}

/**
 * A message annotation built from the value received. It replaces every
 * inner message, such as the per-member messages of a union of literals.
 */
export const problem = (describe: (actual: unknown) => string) => ({
  message: (issue: ParseResult.ParseIssue) => ({ message: describe(issue.actual), override: true })
})

const textProblem = (maxLength: number, singleLine: boolean) => (actual: unknown): string => {
  if (typeof actual !== "string") return `expected text, got ${showValue(actual)}`
  const trimmed = actual.trim()
  if (trimmed === "") return "expected text, got an empty string"
  if (singleLine && /[\r\n]/.test(trimmed)) return "expected a single line, got text with a line break"
  return `expected at most ${maxLength} characters, got ${trimmed.length}`
}

/**
 * A struct of `fields`. A value that is not an object fails with "expected an
 * object with the fields …"; problems inside a field keep their own message.
 */
export const ObjectOf = <Fields extends Schema.Struct.Fields>(fields: Fields) =>
  Schema.Struct(fields).annotations({
    message: (issue) => `expected an object with the fields ${Object.keys(fields).join(", ")}, got ${showValue(issue.actual)}`
  })

const listLength = (actual: unknown): number => (Array.isArray(actual) ? actual.length : 0)

/** Builds a list schema of `minItems` to `maxItems` elements of `item`. Problems inside an element keep their own message. */
export const List = <Item extends Schema.Schema.Any>(item: Item, minItems: number, maxItems: number) => {
  const list = Schema.Array(item).annotations({ message: (issue) => `expected a list, got ${showValue(issue.actual)}` })
  return list.pipe(
    Schema.minItems<typeof list>(minItems, {
      message: (issue) => `expected at least ${formatQuantity(minItems, "entry", "entries")}, got ${listLength(issue.actual)}`
    }),
    Schema.maxItems<Schema.filter<typeof list>>(maxItems, {
      message: (issue) => `expected at most ${formatQuantity(maxItems, "entry", "entries")}, got ${listLength(issue.actual)}`
    })
  )
}

/** Non-empty text of at most `maxLength` characters, trimmed; `\n` starts a new line in the document. */
export const Text = (maxLength: number) =>
  Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(maxLength)).annotations(problem(textProblem(maxLength, false)))

/** Non-empty text on one line, at most `maxLength` characters, trimmed. */
export const Line = (maxLength: number) =>
  Schema.Trim.pipe(
    Schema.minLength(1),
    Schema.maxLength(maxLength),
    Schema.filter((text) => !/[\r\n]/.test(text))
  ).annotations(problem(textProblem(maxLength, true)))

/** Whole cents from 0 to $100 billion. */
export const Cents = Schema.Int.pipe(Schema.between(0, maxCents)).annotations(
  problem((actual) =>
    typeof actual === "number" && Number.isSafeInteger(actual)
      ? `expected integer cents from 0 to ${maxCents}, got ${actual}`
      : `expected integer cents (a whole number such as 123456 for ${formatUsd(123456)}), got ${showValue(actual)}`
  )
)

/** A whole number from 0 to one billion, such as a count of complaints. */
export const Count = Schema.Int.pipe(Schema.between(0, 1_000_000_000)).annotations(
  problem((actual) => `expected a whole number of 0 or more, got ${showValue(actual)}`)
)

/** A four-digit calendar year from 1990 to 2100. */
export const Year = Schema.Int.pipe(Schema.between(1990, 2100)).annotations(
  problem((actual) => `expected a four-digit year from 1990 to 2100 such as 2024, got ${showValue(actual)}`)
)

/** Basis points of ownership, 1 to 10000 (0.01 % to 100 %). */
export const BasisPoints = Schema.Int.pipe(Schema.between(1, 10_000)).annotations(
  problem((actual) => `expected basis points from 1 to 10000 (5000 is 50%), got ${showValue(actual)}`)
)

const isCalendarDate = (text: string): boolean => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (match === null) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** A calendar date as `YYYY-MM-DD`, such as `2025-02-14`; printed as `February 14, 2025`. */
export const CalendarDate = Schema.String.pipe(Schema.filter(isCalendarDate)).annotations(
  problem((actual) => `expected a date as YYYY-MM-DD such as 2025-02-14, got ${showValue(actual)}`)
)

/** An e-mail address of the form `name@domain.tld`, at most 254 characters. */
export const Email = Schema.String.pipe(
  Schema.maxLength(254),
  Schema.pattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/)
).annotations(problem((actual) => `expected an e-mail address such as contact@example.com, got ${showValue(actual)}`))

/** A telephone number: digits with optional `+`, spaces, dots, dashes and parentheses. */
export const Phone = Schema.String.pipe(Schema.pattern(/^\+?[0-9][0-9 ().-]{6,24}$/)).annotations(
  problem((actual) => `expected a telephone number such as +1 202-555-0143, got ${showValue(actual)}`)
)

/** A yes-or-no value, `true` or `false`. */
export const Flag = Schema.Boolean.annotations(problem((actual) => `expected true or false, got ${showValue(actual)}`))

/** FCC Registration Number: exactly 10 digits, leading zeros kept. */
export const Frn = CarrierFrn.annotations(
  problem((actual) => `expected an FRN of exactly 10 digits with leading zeros kept, got ${showValue(actual)}`)
)

/** USAC Form 499 Filer ID: exactly 6 digits. */
export const Filer499Id = CarrierFiler499Id.annotations(
  problem((actual) => `expected a Form 499 Filer ID of exactly 6 digits, got ${showValue(actual)}`)
)

/** An order id of the platform: `ord_` and 20 lower-case base-32 characters. */
export const OrderId = DomainOrderId.annotations(
  problem((actual) => `expected an order id: ord_ and 20 characters from a-z and 2-7, got ${showValue(actual)}`)
)

/** Whether the document is a sample; `true` prints a "SAMPLE — not filed" banner. */
export const SampleFlag = Flag.annotations({
  description: 'true to print a "SAMPLE — not filed" banner, as for orders paid through the sandbox gateway; false otherwise'
})

/** A USPS state or territory code in upper case, such as `TX`. */
export const StateCode = UsState.annotations(
  problem((actual) => `expected a USPS state code in upper case such as TX, got ${showValue(actual)}`)
)

/** A US postal address. */
export const UsAddress = ObjectOf({
  street: Line(200).annotations({ description: "the street line, such as 100 Example Street, Suite 200" }),
  city: Line(100).annotations({ description: "the city, such as Austin" }),
  state: StateCode.annotations({ description: "the USPS two-letter state or territory code in upper case, such as TX" }),
  postalCode: Schema.String.pipe(Schema.pattern(/^\d{5}(-\d{4})?$/)).annotations({
    ...problem((actual) => `expected a ZIP code such as 78701 or 78701-1234, got ${showValue(actual)}`),
    description: "the ZIP code, such as 78701 or 78701-1234"
  })
})

/** Prints a US address on two lines. */
export const formatUsAddress = (address: typeof UsAddress.Type): string =>
  `${address.street}\n${address.city}, ${address.state} ${address.postalCode}`

/** A postal address in any country. */
export const MailingAddress = ObjectOf({
  street: Line(200).annotations({ description: "the street line, such as 200 Example Avenue, Suite 400" }),
  city: Line(100).annotations({ description: "the city, such as Toronto" }),
  region: Line(100).annotations({ description: "the province, state or region, such as ON" }),
  postalCode: Line(20).annotations({ description: "the postal code, such as M5V 0A1" }),
  country: Line(100).annotations({ description: "the country, such as Canada" })
})

/** Prints a mailing address on three lines. */
export const formatMailingAddress = (address: typeof MailingAddress.Type): string =>
  `${address.street}\n${address.city}, ${address.region} ${address.postalCode}\n${address.country}`

/** A person who signs: name and title. */
export const Signer = ObjectOf({
  name: Line(120).annotations({ description: "the full name, such as Jordan A. Rivera" }),
  title: Line(120).annotations({ description: "the job title, such as Chief Executive Officer" })
})

/** A person to contact: name, title, telephone and e-mail. */
export const Contact = ObjectOf({
  ...Signer.fields,
  phone: Phone.annotations({ description: "the telephone number, such as +1 202-555-0143" }),
  email: Email.annotations({ description: "the e-mail address, such as compliance@example.com" })
})
