/**
 * Carriers and their compliance calendars for the console: the carrier list
 * with a search, and one carrier's entries, all of them or one month's.
 */
import { SqlClient } from "@effect/sql"
import { LocalDate } from "@pw/domain/compliance/PlannedEntry"
import { Effect, Schema } from "effect"
import { clampLimit } from "./QueryLimit.ts"

/** Entry statuses in which the obligation is done or dropped. */
const closedStatuses = ["completed", "waived"]

/**
 * A carrier with its calendar. `carrierId` is the carrier id of its entry
 * keys, the FRN for a US carrier. `legalName` is absent for a carrier that
 * has entries but no row in `carriers`.
 */
export class CarrierSummary extends Schema.Class<CarrierSummary>("CarrierSummary")({
  carrierId: Schema.String,
  legalName: Schema.optional(Schema.String),
  /** Entries neither completed nor waived. */
  openEntries: Schema.Int,
  /** Earliest due date of the open entries. */
  nextDueDate: Schema.optional(LocalDate)
}) {}

/** One compliance entry. `billableAmount` is in USD cents, absent when the entry is not billed. */
export class EntryListing extends Schema.Class<EntryListing>("EntryListing")({
  key: Schema.String,
  title: Schema.String,
  dueDate: LocalDate,
  status: Schema.String,
  billableAmount: Schema.optional(Schema.Int)
}) {}

/** A month that is not of the form YYYY-MM with a month from 01 to 12. */
export class InvalidMonth extends Schema.TaggedError<InvalidMonth>()("InvalidMonth", {
  month: Schema.String,
  message: Schema.String
}) {}

const SummaryRows = Schema.Array(Schema.Struct({
  carrier_id: Schema.String,
  legal_name: Schema.NullOr(Schema.String),
  open_entries: Schema.Int,
  next_due_date: Schema.NullOr(LocalDate)
}))

const EntryRows = Schema.Array(Schema.Struct({
  key: Schema.String,
  title: Schema.String,
  due_date: LocalDate,
  status: Schema.String,
  billable_amount: Schema.NullOr(Schema.NumberFromString)
}))

/** Escapes `%`, `_` and `\` so that `text` matches literally in a LIKE pattern with the default escape character. */
const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (character) => `\\${character}`)

/**
 * Lists carriers by legal name, those without a name last, up to `limit`
 * (see `clampLimit`). A non-blank `search` keeps carriers whose legal name
 * contains it, case-insensitively, or whose carrier id starts with it.
 * Carriers come from `carriers` and from the carrier ids of compliance entries.
 */
export const listCarriers = Effect.fn("CarriersQuery.listCarriers")(function*(
  options: { readonly search?: string; readonly limit?: number } = {}
) {
  const sql = yield* SqlClient.SqlClient
  const search = options.search?.trim() ?? ""
  const matches = search === ""
    ? sql`true`
    : sql`(legal_name ILIKE ${`%${escapeLike(search)}%`} OR carrier_id LIKE ${`${escapeLike(search)}%`})`
  const rows = yield* sql`
    WITH calendars AS (
      SELECT carrier_id,
             count(*) FILTER (WHERE status NOT IN ${sql.in(closedStatuses)})::int AS open_entries,
             (min(due_date) FILTER (WHERE status NOT IN ${sql.in(closedStatuses)}))::text AS next_due_date
      FROM compliance_entries
      GROUP BY carrier_id
    ), known AS (
      SELECT coalesce(c.frn, calendars.carrier_id) AS carrier_id, c.legal_name,
             coalesce(calendars.open_entries, 0) AS open_entries, calendars.next_due_date
      FROM carriers c FULL OUTER JOIN calendars ON calendars.carrier_id = c.frn
    )
    SELECT carrier_id, legal_name, open_entries, next_due_date
    FROM known
    WHERE ${matches}
    ORDER BY legal_name NULLS LAST, carrier_id
    LIMIT ${clampLimit(options.limit)}
  `.pipe(Effect.flatMap((found) => Effect.orDie(Schema.decodeUnknown(SummaryRows)(found))))
  return rows.map((row) =>
    new CarrierSummary({
      carrierId: row.carrier_id,
      legalName: row.legal_name ?? undefined,
      openEntries: row.open_entries,
      nextDueDate: row.next_due_date ?? undefined
    })
  )
})

const toEntry = (row: typeof EntryRows.Type[number]) =>
  new EntryListing({
    key: row.key,
    title: row.title,
    dueDate: row.due_date,
    status: row.status,
    billableAmount: row.billable_amount ?? undefined
  })

/** Lists every compliance entry of `carrierId`, earliest due first. */
export const listEntries = Effect.fn("CarriersQuery.listEntries")(function*(carrierId: string) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    SELECT key, title, due_date::text AS due_date, status, billable_amount::text AS billable_amount
    FROM compliance_entries
    WHERE carrier_id = ${carrierId}
    ORDER BY due_date, key
  `.pipe(Effect.flatMap((found) => Effect.orDie(Schema.decodeUnknown(EntryRows)(found))))
  return rows.map(toEntry)
})

const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/

/**
 * Lists the compliance entries of `carrierId` due in `month` (YYYY-MM),
 * earliest due first. Fails with {@link InvalidMonth} for another form.
 */
export const entriesInMonth = Effect.fn("CarriersQuery.entriesInMonth")(function*(carrierId: string, month: string) {
  const parts = monthPattern.exec(month)
  if (parts === null) {
    return yield* new InvalidMonth({
      month,
      message: `month ${JSON.stringify(month)} is invalid: give it as YYYY-MM with a month from 01 to 12, such as 2027-03`
    })
  }
  const year = Number(parts[1])
  const monthNumber = Number(parts[2])
  const first = `${month}-01`
  const next = monthNumber === 12
    ? `${String(year + 1).padStart(4, "0")}-01-01`
    : `${parts[1]}-${String(monthNumber + 1).padStart(2, "0")}-01`
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    SELECT key, title, due_date::text AS due_date, status, billable_amount::text AS billable_amount
    FROM compliance_entries
    WHERE carrier_id = ${carrierId} AND due_date >= ${first}::date AND due_date < ${next}::date
    ORDER BY due_date, key
  `.pipe(Effect.flatMap((found) => Effect.orDie(Schema.decodeUnknown(EntryRows)(found))))
  return rows.map(toEntry)
})
