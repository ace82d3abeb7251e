/**
 * Handlers of the calendar group: a carrier's compliance calendar as JSON for
 * staff, its feed links, and the iCalendar feed a link serves.
 */
import { HttpApiBuilder, HttpMiddleware } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { PlatformApi } from "@pw/api/Api"
import { BadRequest, NotFound } from "@pw/api/ApiErrors"
import { CarrierCalendar, CreatedCalendarFeed } from "@pw/api/CalendarGroup"
import { StaffMember } from "@pw/api/Security"
import { PublicUrl } from "@pw/order/OrderNotifications"
import { Effect, Option, Redacted } from "effect"
import { CalendarFeedConfig } from "./calendar/CalendarFeedConfig.ts"
import { createFeed, findActiveFeed, revokeFeed } from "./calendar/CalendarFeeds.ts"
import { listCarrierEntries } from "./calendar/CarrierEntries.ts"
import { renderFeed } from "./calendar/FeedCalendar.ts"
import { feedTokenHash } from "./calendar/FeedToken.ts"

/** The shape of every token {@link createFeed} issues: 32 bytes in base64url. */
const feedTokenPattern = /^[A-Za-z0-9_-]{43}$/

/** The one error for every token without an active feed, so the reply reveals nothing about carriers or other links. */
const feedNotFound = () =>
  new NotFound({
    message: "no calendar feed at this link: it was revoked or never issued; ask Performance West for a new link",
    field: "token"
  })

/** The calendar group's handlers. Needs PostgreSQL. */
export const CalendarHttp = HttpApiBuilder.group(PlatformApi, "calendar", (handlers) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const settings = yield* Effect.orDie(CalendarFeedConfig)
    const publicUrl = (yield* Effect.orDie(PublicUrl)).replace(/\/+$/, "")
    const withSql = Effect.provideService(SqlClient.SqlClient, sql)

    return handlers
      .handle("carrierCalendar", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const { from, to } = urlParams
          if (from !== undefined && to !== undefined && from > to) {
            yield* Effect.annotateLogs(Effect.logInfo("calendar range rejected"), { carrierId: path.carrierId, from, to })
            return yield* new BadRequest({ message: `to ${to} is before from ${from}; give a range whose from is on or before its to`, field: "to" })
          }
          const entries = yield* withSql(listCarrierEntries(path.carrierId, { from, to }))
          return new CarrierCalendar({
            carrierId: path.carrierId,
            ...(from === undefined ? {} : { from }),
            ...(to === undefined ? {} : { to }),
            entries
          })
        }))
      .handle("createFeed", ({ path }) =>
        Effect.gen(function*() {
          const staff = yield* StaffMember
          const created = yield* withSql(createFeed(path.carrierId, staff.name))
          yield* Effect.annotateLogs(Effect.logInfo("calendar feed created"), { carrierId: path.carrierId, feedId: created.feed.id })
          return new CreatedCalendarFeed({
            feed: created.feed,
            url: `${publicUrl}/v1/calendar-feeds/${Redacted.value(created.token)}.ics`
          })
        }))
      .handle("revokeFeed", ({ path }) =>
        Effect.gen(function*() {
          const staff = yield* StaffMember
          const revoked = yield* withSql(revokeFeed(path.carrierId, path.feedId, staff.name))
          if (Option.isNone(revoked)) {
            yield* Effect.annotateLogs(Effect.logInfo("calendar feed to revoke not found"), { carrierId: path.carrierId, feedId: path.feedId })
            return yield* new NotFound({
              message: `calendar feed ${path.feedId} not found for carrier ${path.carrierId}: use the feed id returned when the link was created`,
              field: "feedId"
            })
          }
          yield* Effect.annotateLogs(Effect.logInfo("calendar feed revoked"), { carrierId: path.carrierId, feedId: path.feedId })
          return revoked.value
        }))
      .handle("feed", ({ path }) =>
        // The request URL contains the token, so the access log must not record it.
        HttpMiddleware.withLoggerDisabled(Effect.gen(function*() {
          const feed = feedTokenPattern.test(path.token)
            ? yield* withSql(findActiveFeed(feedTokenHash(Redacted.make(path.token))))
            : Option.none()
          if (Option.isNone(feed)) {
            yield* Effect.logInfo("calendar feed link not found")
            return yield* feedNotFound()
          }
          const entries = yield* withSql(listCarrierEntries(feed.value.carrierId, {}))
          yield* Effect.annotateLogs(Effect.logInfo("calendar feed served"), { feedId: feed.value.id, entries: entries.length })
          return renderFeed({ carrierId: feed.value.carrierId, entries, settings })
        })))
  }))
