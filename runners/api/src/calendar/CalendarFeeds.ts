/**
 * The `calendar_feeds` table: feed links of carriers' calendars, stored by
 * the SHA-256 of their token. Creating and revoking a link each write an
 * audit row in the same transaction.
 */
import { SqlClient } from "@effect/sql"
import { CalendarFeed } from "@pw/api/CalendarGroup"
import * as AuditLog from "@pw/db/AuditLog"
import { Effect, Option, Schema } from "effect"
import { randomBytes } from "node:crypto"
import { makeFeedToken, type NewFeedToken } from "./FeedToken.ts"

const FeedRow = Schema.Struct({
  id: Schema.String,
  carrier_id: Schema.String,
  created_at: Schema.DateTimeUtcFromDate,
  revoked_at: Schema.NullOr(Schema.DateTimeUtcFromDate)
})

const decodeRows = Schema.decodeUnknown(Schema.Array(FeedRow))

const toFeed = (row: typeof FeedRow.Type): CalendarFeed =>
  new CalendarFeed({
    id: row.id,
    carrierId: row.carrier_id,
    createdAt: row.created_at,
    ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at })
  })

const firstFeed = (rows: ReadonlyArray<unknown>) =>
  Effect.map(decodeRows(rows), (decoded) => Option.map(Option.fromNullable(decoded[0]), toFeed))

const auditEntityType = "CalendarFeed"

/** A created feed link and its token, which exists only in this value and the URL made from it. */
export interface CreatedFeed extends NewFeedToken {
  readonly feed: CalendarFeed
}

/** Creates a feed link for `carrierId` with a new token. `createdBy` goes into the audit row. */
export const createFeed = Effect.fn("CalendarFeeds.createFeed")(
  function*(carrierId: string, createdBy: string) {
    const sql = yield* SqlClient.SqlClient
    const token = yield* makeFeedToken
    const id = `cfd_${randomBytes(12).toString("hex")}`
    const feed = yield* sql.withTransaction(Effect.gen(function*() {
      const rows = yield* sql`
        INSERT INTO calendar_feeds (id, carrier_id, token_hash)
        VALUES (${id}, ${carrierId}, ${token.hash})
        RETURNING id, carrier_id, created_at, revoked_at
      `
      yield* AuditLog.record({ entityType: auditEntityType, entityId: id, requestId: "create", event: "created", data: { carrierId, createdBy } })
      return yield* firstFeed(rows)
    }))
    if (Option.isNone(feed)) return yield* Effect.dieMessage(`calendar feed ${id} was not returned by its INSERT`)
    return { ...token, feed: feed.value } satisfies CreatedFeed
  },
  Effect.orDie
)

/**
 * Revokes feed `feedId` of `carrierId`. Returns the feed with its first
 * revocation time, or none when the carrier has no such feed.
 */
export const revokeFeed = Effect.fn("CalendarFeeds.revokeFeed")(
  function*(carrierId: string, feedId: string, revokedBy: string) {
    const sql = yield* SqlClient.SqlClient
    return yield* sql.withTransaction(Effect.gen(function*() {
      const rows = yield* sql`
        UPDATE calendar_feeds SET revoked_at = COALESCE(revoked_at, now())
        WHERE id = ${feedId} AND carrier_id = ${carrierId}
        RETURNING id, carrier_id, created_at, revoked_at
      `
      const feed = yield* firstFeed(rows)
      if (Option.isSome(feed)) {
        yield* AuditLog.record({ entityType: auditEntityType, entityId: feedId, requestId: "revoke", event: "revoked", data: { carrierId, revokedBy } })
      }
      return feed
    }))
  },
  Effect.orDie
)

/** The unrevoked feed whose token hashes to `tokenHash`, or none. */
export const findActiveFeed = Effect.fn("CalendarFeeds.findActiveFeed")(
  function*(tokenHash: string) {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`
      SELECT id, carrier_id, created_at, revoked_at
      FROM calendar_feeds
      WHERE token_hash = ${tokenHash} AND revoked_at IS NULL
    `
    return yield* firstFeed(rows)
  },
  Effect.orDie
)
