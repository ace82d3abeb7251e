/**
 * Staff API keys, for automation that calls the staff endpoints: `psk_` and
 * 43 base64url characters (32 random bytes), shown once at creation. Only
 * the SHA-256 (hex) is stored. A key acts as its account, with its role, as
 * long as the key is not revoked and the account is not disabled.
 */
import { SqlClient } from "@effect/sql"
import { Clock, Effect, Option, Redacted, Schema } from "effect"
import { createHash, randomBytes } from "node:crypto"
import { AccountNotFound } from "./AccountErrors.ts"
import * as StaffAccountStore from "./StaffAccountStore.ts"
import * as StaffActor from "./StaffActor.ts"
import * as StaffAudit from "./StaffAudit.ts"
import { StaffRole } from "./StaffRole.ts"

/** Prefix of every staff API key. */
export const keyPrefix = "psk_"

/** Maximum key label length, in characters. */
export const maximumLabelLength = 100

/** A key as the console lists it, without the key. */
export interface StaffApiKey {
  /** `sak_` and 24 hex digits; safe to show and log. */
  readonly id: string
  readonly accountId: string
  /** Purpose of the key, such as "nightly export". */
  readonly label: string
  readonly createdAt: Date
  readonly lastUsedAt: Option.Option<Date>
  readonly revokedAt: Option.Option<Date>
}

/** The account a presented key acts as. */
export interface KeyHolder {
  readonly keyId: string
  readonly accountId: string
  readonly name: string
  readonly role: StaffRole
}

/** A key label that is empty or longer than 100 characters. */
export class InvalidLabel extends Schema.TaggedError<InvalidLabel>()("InvalidLabel", {
  message: Schema.String
}) {}

/** No API key with this id belongs to the account. */
export class ApiKeyNotFound extends Schema.TaggedError<ApiKeyNotFound>()("ApiKeyNotFound", {
  keyId: Schema.String,
  message: Schema.String
}) {}

const KeyRow = Schema.Struct({
  id: Schema.String,
  account_id: Schema.String,
  label: Schema.String,
  created_at: Schema.DateFromSelf,
  last_used_at: Schema.NullOr(Schema.DateFromSelf),
  revoked_at: Schema.NullOr(Schema.DateFromSelf)
})
const decodeKeyRows = Schema.decodeUnknown(Schema.Array(KeyRow))

const toApiKey = (row: typeof KeyRow.Type): StaffApiKey => ({
  id: row.id,
  accountId: row.account_id,
  label: row.label,
  createdAt: row.created_at,
  lastUsedAt: Option.fromNullable(row.last_used_at),
  revokedAt: Option.fromNullable(row.revoked_at)
})

const sha256Hex = (value: string): string => createHash("sha256").update(value).digest("hex")

/**
 * Creates a key for `accountId` labelled `label` and returns it with its id;
 * the key exists only in this value. Members create keys for themselves,
 * and only an admin for another account. Writes `staff.api_key_created`.
 */
export const create = Effect.fn("StaffApiKeys.create")(function*(accountId: string, label: string, actorId: string) {
  const sql = yield* SqlClient.SqlClient
  if (actorId !== accountId) yield* StaffActor.authorize(actorId, "manageStaff")
  const trimmed = label.trim()
  if (trimmed === "" || trimmed.length > maximumLabelLength) {
    return yield* new InvalidLabel({ message: `the key label must have 1 to ${maximumLabelLength} characters (got ${trimmed.length})` })
  }
  if (Option.isNone(yield* StaffAccountStore.findById(accountId))) {
    return yield* new AccountNotFound({ account: accountId, message: `no staff account ${accountId}; check the id in the account list` })
  }
  const now = yield* Clock.currentTimeMillis
  const key = `${keyPrefix}${randomBytes(32).toString("base64url")}`
  const keyId = `sak_${randomBytes(12).toString("hex")}`
  yield* sql.withTransaction(Effect.gen(function*() {
    yield* sql`
      INSERT INTO staff_api_keys (id, account_id, label, key_sha256, created_at)
      VALUES (${keyId}, ${accountId}, ${trimmed}, ${sha256Hex(key)}, ${new Date(now)})
    `
    yield* StaffAudit.record(accountId, "staff.api_key_created", { actorId, keyId, label: trimmed })
  })).pipe(Effect.orDie)
  yield* Effect.annotateLogs(Effect.logInfo("staff API key created"), { accountId, actorId, keyId })
  return { keyId, key: Redacted.make(key) }
})

/** The keys of `accountId`, revoked ones included, oldest first. */
export const list = Effect.fn("StaffApiKeys.list")(function*(accountId: string) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    SELECT id, account_id, label, created_at, last_used_at, revoked_at
    FROM staff_api_keys WHERE account_id = ${accountId} ORDER BY created_at, id
  `.pipe(Effect.flatMap(decodeKeyRows), Effect.orDie)
  return rows.map(toApiKey)
})

/**
 * Revokes key `keyId` of `accountId` and returns it; revoking twice keeps
 * the first time. Members revoke their own keys, and only an admin another
 * account's. Writes `staff.api_key_revoked`.
 */
export const revoke = Effect.fn("StaffApiKeys.revoke")(function*(accountId: string, keyId: string, actorId: string) {
  const sql = yield* SqlClient.SqlClient
  if (actorId !== accountId) yield* StaffActor.authorize(actorId, "manageStaff")
  const now = yield* Clock.currentTimeMillis
  const row = yield* sql.withTransaction(Effect.gen(function*() {
    const rows = yield* sql`
      UPDATE staff_api_keys SET revoked_at = COALESCE(revoked_at, ${new Date(now)})
      WHERE id = ${keyId} AND account_id = ${accountId}
      RETURNING id, account_id, label, created_at, last_used_at, revoked_at
    `.pipe(Effect.flatMap(decodeKeyRows))
    const updated = rows[0]
    if (updated !== undefined) yield* StaffAudit.record(accountId, "staff.api_key_revoked", { actorId, keyId })
    return updated
  })).pipe(Effect.orDie)
  if (row === undefined) {
    return yield* new ApiKeyNotFound({ keyId, message: `staff account ${accountId} has no API key ${keyId}; check the key list` })
  }
  return toApiKey(row)
})

const HolderRows = Schema.Array(Schema.Struct({ key_id: Schema.String, account_id: Schema.String, name: Schema.String, role: StaffRole }))

/**
 * Returns the account that the presented key acts as and records the use.
 * Returns none for a key that is malformed, unknown or revoked, or whose
 * account is disabled. The staff authentication middleware calls this for
 * `X-Staff-Key`.
 */
export const verify = Effect.fn("StaffApiKeys.verify")(function*(key: Redacted.Redacted<string>) {
  const sql = yield* SqlClient.SqlClient
  const presented = Redacted.value(key)
  if (!presented.startsWith(keyPrefix) || presented.length > 200) return Option.none<KeyHolder>()
  const now = yield* Clock.currentTimeMillis
  const rows = yield* sql`
    UPDATE staff_api_keys k SET last_used_at = ${new Date(now)}
    FROM staff_accounts a
    WHERE k.key_sha256 = ${sha256Hex(presented)} AND k.revoked_at IS NULL
      AND a.id = k.account_id AND a.disabled_at IS NULL
    RETURNING k.id AS key_id, a.id AS account_id, a.name, a.role
  `.pipe(Effect.flatMap(Schema.decodeUnknown(HolderRows)), Effect.orDie)
  const row = rows[0]
  return row === undefined
    ? Option.none<KeyHolder>()
    : Option.some<KeyHolder>({ keyId: row.key_id, accountId: row.account_id, name: row.name, role: row.role })
})
