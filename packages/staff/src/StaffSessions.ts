/**
 * Browser sessions of the admin console. The session token is 32 random
 * bytes in the `pw_staff_session` cookie; the table stores only its SHA-256.
 * A session ends after `STAFF_SESSION_IDLE_TIMEOUT` without a request, after
 * `STAFF_SESSION_MAX_AGE` in any case, on sign-out, and when the account's
 * password is reset or it is disabled. Times come from Effect's Clock.
 */
import { SqlClient } from "@effect/sql"
import { Clock, Duration, Effect, Redacted, Schema } from "effect"
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"
import { CsrfInvalid, SessionInvalid } from "./SessionErrors.ts"
import * as StaffAudit from "./StaffAudit.ts"
import { StaffConfig } from "./StaffConfig.ts"
import { StaffRole } from "./StaffRole.ts"

/** Name of the session cookie. */
export const cookieName = "pw_staff_session"

/** Attributes to set the session cookie with (the shape of `Cookies.set` options in @effect/platform). */
export interface SessionCookieOptions {
  readonly httpOnly: true
  readonly sameSite: "strict"
  readonly path: "/admin"
  /** False only when `STAFF_COOKIE_SECURE=false`. */
  readonly secure: boolean
  /** The session's maximum age, so the browser drops the cookie no later than the server does. */
  readonly maxAge: Duration.Duration
}

/** The session cookie's attributes: HttpOnly, SameSite=Strict, Path=/admin, Secure unless configured off. */
export const cookieOptions: Effect.Effect<SessionCookieOptions, never, StaffConfig> = Effect.map(StaffConfig, (config) => ({
  httpOnly: true,
  sameSite: "strict",
  path: "/admin",
  secure: config.cookieSecure,
  maxAge: config.maxSessionAge
}))

/** A session just created; the token and CSRF token exist only here and in the browser. */
export interface NewSession {
  /** Id for logs and audit rows: the first 16 hex digits of the token's SHA-256. */
  readonly sessionId: string
  /** Value of the session cookie. */
  readonly token: Redacted.Redacted<string>
  /** Value the console puts in its forms and checks with {@link checkCsrf}. */
  readonly csrfToken: Redacted.Redacted<string>
  readonly expiresAt: Date
}

/** A valid session, as {@link validate} returns it. */
export interface StaffSession {
  readonly sessionId: string
  readonly accountId: string
  readonly role: StaffRole
  readonly name: string
  readonly email: string
  /** The console must ask for a new password before anything else while this is true. */
  readonly mustChangePassword: boolean
  readonly csrfToken: Redacted.Redacted<string>
  readonly createdAt: Date
  readonly expiresAt: Date
}

const tokenHash = (token: Redacted.Redacted<string>): string => createHash("sha256").update(Redacted.value(token)).digest("hex")

const sessionIdOf = (hash: string): string => hash.slice(0, 16)

/** Creates a session for account `accountId` with `role`, starting now. */
export const create = Effect.fn("StaffSessions.create")(function*(accountId: string, role: StaffRole) {
  const sql = yield* SqlClient.SqlClient
  const config = yield* StaffConfig
  const now = yield* Clock.currentTimeMillis
  const token = Redacted.make(randomBytes(32).toString("base64url"))
  const csrfToken = Redacted.make(randomBytes(32).toString("base64url"))
  const hash = tokenHash(token)
  const expiresAt = new Date(now + Duration.toMillis(config.maxSessionAge))
  yield* sql`
    INSERT INTO staff_sessions (token_sha256, account_id, role, csrf_token, created_at, last_seen_at, expires_at)
    VALUES (${hash}, ${accountId}, ${role}, ${Redacted.value(csrfToken)}, ${new Date(now)}, ${new Date(now)}, ${expiresAt})
  `.pipe(Effect.orDie)
  return { sessionId: sessionIdOf(hash), token, csrfToken, expiresAt } satisfies NewSession
})

const SessionRow = Schema.Struct({
  account_id: Schema.String,
  role: StaffRole,
  csrf_token: Schema.String,
  created_at: Schema.DateFromSelf,
  last_seen_at: Schema.DateFromSelf,
  expires_at: Schema.DateFromSelf,
  revoked_at: Schema.NullOr(Schema.DateFromSelf),
  account_role: StaffRole,
  name: Schema.String,
  email: Schema.String,
  must_change_password: Schema.Boolean,
  disabled_at: Schema.NullOr(Schema.DateFromSelf)
})
const decodeSessionRows = Schema.decodeUnknown(Schema.Array(SessionRow))

const invalid = (reason: SessionInvalid["reason"], detail: string) =>
  new SessionInvalid({ reason, message: `the staff session ${detail}; sign in again` })

/**
 * Returns the session of the cookie value `token` and records the request
 * as its last activity. Fails with {@link SessionInvalid} when the token is
 * unknown or revoked, the session was idle for the idle timeout or reached
 * its maximum age, or its account was disabled or changed role since.
 */
export const validate = Effect.fn("StaffSessions.validate")(function*(token: Redacted.Redacted<string>) {
  const sql = yield* SqlClient.SqlClient
  const config = yield* StaffConfig
  const now = yield* Clock.currentTimeMillis
  const hash = tokenHash(token)
  const rows = yield* sql`
    SELECT s.account_id, s.role, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, s.revoked_at,
           a.role AS account_role, a.name, a.email, a.must_change_password, a.disabled_at
    FROM staff_sessions s JOIN staff_accounts a ON a.id = s.account_id
    WHERE s.token_sha256 = ${hash}
  `.pipe(Effect.flatMap(decodeSessionRows), Effect.orDie)
  const row = rows[0]
  if (row === undefined) return yield* invalid("unknown", "cookie is unknown")
  if (row.revoked_at !== null) return yield* invalid("revoked", "was ended")
  if (now >= row.expires_at.getTime()) return yield* invalid("expired", "reached its maximum age")
  if (now - row.last_seen_at.getTime() >= Duration.toMillis(config.idleTimeout)) return yield* invalid("idle", "expired after inactivity")
  if (row.disabled_at !== null) return yield* invalid("accountDisabled", "belongs to a disabled account")
  if (row.account_role !== row.role) return yield* invalid("roleChanged", "was started before the account's role changed")
  yield* sql`
    UPDATE staff_sessions SET last_seen_at = GREATEST(last_seen_at, ${new Date(now)}) WHERE token_sha256 = ${hash}
  `.pipe(Effect.orDie)
  return {
    sessionId: sessionIdOf(hash),
    accountId: row.account_id,
    role: row.role,
    name: row.name,
    email: row.email,
    mustChangePassword: row.must_change_password,
    csrfToken: Redacted.make(row.csrf_token),
    createdAt: row.created_at,
    expiresAt: row.expires_at
  } satisfies StaffSession
})

/** Succeeds when `presented` (the form's CSRF field) equals the session's CSRF token, compared with timingSafeEqual. */
export const checkCsrf = (session: StaffSession, presented: string | undefined): Effect.Effect<void, CsrfInvalid> => {
  const expected = Buffer.from(Redacted.value(session.csrfToken))
  const received = Buffer.from(presented ?? "")
  return received.length === expected.length && timingSafeEqual(received, expected)
    ? Effect.void
    : Effect.fail(new CsrfInvalid({ message: "the form's CSRF token is missing or does not match the session; reload the page and submit again" }))
}

/**
 * Ends the session of the cookie value `token` (sign-out) and writes a
 * `staff.signed_out` audit row. Does nothing for an unknown or already
 * ended session.
 */
export const revoke = Effect.fn("StaffSessions.revoke")(function*(token: Redacted.Redacted<string>) {
  const sql = yield* SqlClient.SqlClient
  const now = yield* Clock.currentTimeMillis
  const hash = tokenHash(token)
  yield* sql.withTransaction(Effect.gen(function*() {
    const rows = yield* sql<{ account_id: string }>`
      UPDATE staff_sessions SET revoked_at = ${new Date(now)}
      WHERE token_sha256 = ${hash} AND revoked_at IS NULL
      RETURNING account_id
    `
    const row = rows[0]
    if (row !== undefined) yield* StaffAudit.record(row.account_id, "staff.signed_out", { sessionId: sessionIdOf(hash) })
  })).pipe(Effect.orDie)
})

/**
 * Ends every open session of account `accountId`, except the one of
 * `keep` when given, and returns how many it ended. Callers write the audit
 * row of the change that required it.
 */
export const revokeAll = Effect.fn("StaffSessions.revokeAll")(
  function*(accountId: string, keep?: Redacted.Redacted<string>) {
    const sql = yield* SqlClient.SqlClient
    const now = yield* Clock.currentTimeMillis
    const keptHash = keep === undefined ? "" : tokenHash(keep)
    const rows = yield* sql`
      UPDATE staff_sessions SET revoked_at = ${new Date(now)}
      WHERE account_id = ${accountId} AND revoked_at IS NULL AND token_sha256 <> ${keptHash}
      RETURNING token_sha256
    `.pipe(Effect.orDie)
    return rows.length
  }
)
