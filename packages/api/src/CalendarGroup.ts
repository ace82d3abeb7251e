/**
 * A carrier's compliance calendar over HTTP. Staff read it as JSON and hand
 * out feed links. Calendar applications subscribe to a feed link, whose
 * unguessable token is the only credential.
 */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { EntryStatus } from "@pw/compliance-entry/EntryView"
import { LocalDate, RuleSource } from "@pw/domain/compliance/PlannedEntry"
import { Schema } from "effect"
import { BadRequest, NotFound } from "./ApiErrors.ts"
import { StaffAuth } from "./Security.ts"

/** Returns whether `date` (`YYYY-MM-DD`) is a day that exists, which 2027-02-30 is not. */
const isRealDate = (date: string): boolean => {
  const parsed = new Date(`${date}T00:00:00Z`)
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date
}

/** A `YYYY-MM-DD` date that exists in the calendar. */
export const CalendarDate = LocalDate.pipe(
  Schema.filter(isRealDate, {
    message: (issue) => `${JSON.stringify(issue.actual)} is not a valid date; give an existing day such as 2027-03-01`
  })
).annotations({ identifier: "CalendarDate" })

/** One entry of a carrier's calendar: the obligation, its due date, its source and its status. */
export class CalendarEntry extends Schema.Class<CalendarEntry>("CalendarEntry")({
  /** The entry key `carrierId:obligationId:period`, stable across reads. */
  key: Schema.String,
  /** Identifier of the rule, such as `fcc-499a`. */
  obligation: Schema.String,
  title: Schema.String,
  jurisdiction: Schema.String,
  period: Schema.String,
  /** The day the filing is due, after rolling past weekends and holidays, in `timeZone`. */
  dueDate: LocalDate,
  nominalDueDate: LocalDate,
  timeZone: Schema.String,
  status: EntryStatus,
  source: RuleSource,
  explanation: Schema.String,
  /** USD cents Performance West bills for filing it. Absent when it is not billed. */
  billableAmount: Schema.optional(Schema.Int),
  /** When the entry last changed. */
  updatedAt: Schema.DateTimeUtc
}) {}

/** Response of the calendar read: the carrier's entries in due-date order. */
export class CarrierCalendar extends Schema.Class<CarrierCalendar>("CarrierCalendar")({
  carrierId: Schema.String,
  from: Schema.optional(CalendarDate),
  to: Schema.optional(CalendarDate),
  entries: Schema.Array(CalendarEntry)
}) {}

/** A feed link as stored: which carrier, since when, and whether it is revoked. Never the token. */
export class CalendarFeed extends Schema.Class<CalendarFeed>("CalendarFeed")({
  id: Schema.String,
  carrierId: Schema.String,
  createdAt: Schema.DateTimeUtc,
  revokedAt: Schema.optional(Schema.DateTimeUtc)
}) {}

/** Response of creating a feed link. `url` contains the token and is shown this once. Only the token's hash is stored. */
export class CreatedCalendarFeed extends Schema.Class<CreatedCalendarFeed>("CreatedCalendarFeed")({
  feed: CalendarFeed,
  url: Schema.String
}) {}

const CarrierPath = Schema.Struct({ carrierId: Schema.String })

/**
 * The calendar endpoints. The staff endpoints need `X-Staff-Key`. The feed
 * itself needs no header and returns the same 404 for an unknown and a
 * revoked token.
 */
export class CalendarGroup extends HttpApiGroup.make("calendar")
  .add(
    HttpApiEndpoint.get("carrierCalendar", "/staff/carriers/:carrierId/calendar")
      .setPath(CarrierPath)
      .setUrlParams(Schema.Struct({
        from: Schema.optional(CalendarDate).annotations({ description: "First due date to include, YYYY-MM-DD" }),
        to: Schema.optional(CalendarDate).annotations({ description: "Last due date to include, YYYY-MM-DD" })
      }))
      .addSuccess(CarrierCalendar)
      .addError(BadRequest)
      .middleware(StaffAuth)
      .annotate(OpenApi.Description, "The carrier's compliance entries due from `from` to `to` (both optional), sorted by due date.")
  )
  .add(
    HttpApiEndpoint.post("createFeed", "/staff/carriers/:carrierId/calendar-feeds")
      .setPath(CarrierPath)
      .addSuccess(CreatedCalendarFeed, { status: 201 })
      .middleware(StaffAuth)
      .annotate(OpenApi.Description, "Creates an iCalendar feed link for the carrier. The URL is returned once; give it to the customer.")
  )
  .add(
    HttpApiEndpoint.del("revokeFeed", "/staff/carriers/:carrierId/calendar-feeds/:feedId")
      .setPath(Schema.Struct({ carrierId: Schema.String, feedId: Schema.String }))
      .addSuccess(CalendarFeed)
      .addError(NotFound)
      .middleware(StaffAuth)
      .annotate(OpenApi.Description, "Revokes a feed link; its URL answers 404 from then on. Revoking twice is harmless.")
  )
  .add(
    HttpApiEndpoint.get("feed", "/calendar-feeds/:token.ics")
      .setPath(Schema.Struct({ token: Schema.String }))
      .addSuccess(HttpApiSchema.Text({ contentType: "text/calendar; charset=utf-8" }))
      .addError(NotFound)
      .annotate(OpenApi.Description, "The carrier's compliance calendar as iCalendar, one all-day event per entry. The token in the path is the credential.")
  )
  .prefix("/v1")
  .annotate(OpenApi.Description, "Compliance calendars and their iCalendar feed links.")
{}
