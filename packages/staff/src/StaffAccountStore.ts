/**
 * Rows of `staff_accounts`. These functions check no permission: the public
 * modules (`StaffAccounts`, `StaffBootstrap`) check before calling them.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Option, Schema } from "effect"
import { randomBytes } from "node:crypto"
import { EmailTaken } from "./AccountErrors.ts"
import type { StaffAccount } from "./StaffAccount.ts"
import { StaffRole } from "./StaffRole.ts"

/** A `staff_accounts` row as stored. */
export const AccountRow = Schema.Struct({
  id: Schema.String,
  email: Schema.String,
  name: Schema.String,
  role: StaffRole,
  password_hash: Schema.String,
  totp_secret: Schema.NullOr(Schema.String),
  totp_last_step: Schema.NullOr(Schema.NumberFromString),
  must_change_password: Schema.Boolean,
  disabled_at: Schema.NullOr(Schema.DateFromSelf),
  created_at: Schema.DateFromSelf
})

/** A decoded `staff_accounts` row. */
export type AccountRow = typeof AccountRow.Type

const decodeRows = Schema.decodeUnknown(Schema.Array(AccountRow))

/** The account as the console may show it. */
export const toAccount = (row: AccountRow): StaffAccount => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  totpEnrolled: row.totp_secret !== null,
  mustChangePassword: row.must_change_password,
  disabledAt: Option.fromNullable(row.disabled_at),
  createdAt: row.created_at
})

const columns = "id, email, name, role, password_hash, totp_secret, totp_last_step::text, must_change_password, disabled_at, created_at"

/** The account with `id`, or none. */
export const findById = Effect.fn("StaffAccountStore.findById")(function*(id: string) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`SELECT ${sql.literal(columns)} FROM staff_accounts WHERE id = ${id}`.pipe(Effect.flatMap(decodeRows))
  return Option.fromNullable(rows[0])
}, Effect.orDie)

/** The account with the normalized e-mail `email`, or none. */
export const findByEmail = Effect.fn("StaffAccountStore.findByEmail")(function*(email: string) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`SELECT ${sql.literal(columns)} FROM staff_accounts WHERE email = ${email}`.pipe(Effect.flatMap(decodeRows))
  return Option.fromNullable(rows[0])
}, Effect.orDie)

/** Every account, ordered by e-mail. */
export const listAll = Effect.fn("StaffAccountStore.listAll")(function*() {
  const sql = yield* SqlClient.SqlClient
  return yield* sql`SELECT ${sql.literal(columns)} FROM staff_accounts ORDER BY email`.pipe(Effect.flatMap(decodeRows))
}, Effect.orDie)

/** Fields of a new account, validated and with the password already hashed. */
export interface NewAccountRow {
  readonly email: string
  readonly name: string
  readonly role: StaffRole
  readonly passwordHash: string
  readonly totpSecret: string | null
  readonly mustChangePassword: boolean
}

/** Inserts an account created at `now` and returns its row; fails with {@link EmailTaken} when the e-mail has an account. */
export const insert = Effect.fn("StaffAccountStore.insert")(function*(account: NewAccountRow, now: Date) {
  const sql = yield* SqlClient.SqlClient
  const id = `stf_${randomBytes(12).toString("hex")}`
  const rows = yield* sql`
    INSERT INTO staff_accounts (id, email, name, role, password_hash, totp_secret, must_change_password, created_at)
    VALUES (${id}, ${account.email}, ${account.name}, ${account.role}, ${account.passwordHash}, ${account.totpSecret},
            ${account.mustChangePassword}, ${now})
    ON CONFLICT (email) DO NOTHING
    RETURNING ${sql.literal(columns)}
  `.pipe(Effect.flatMap(decodeRows), Effect.orDie)
  const row = rows[0]
  if (row === undefined) {
    return yield* new EmailTaken({
      email: account.email,
      message: `${account.email} already has a staff account; reset its password instead of creating another`
    })
  }
  return row
})

/** Replaces the password hash and sets `must_change_password`; false when no account has `id`. */
export const setPassword = Effect.fn("StaffAccountStore.setPassword")(
  function*(id: string, passwordHash: string, mustChangePassword: boolean) {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`
      UPDATE staff_accounts SET password_hash = ${passwordHash}, must_change_password = ${mustChangePassword}
      WHERE id = ${id} RETURNING id
    `
    return rows.length === 1
  },
  Effect.orDie
)

/** Stores a new TOTP secret and clears the last used step; false when no account has `id`. */
export const setTotpSecret = Effect.fn("StaffAccountStore.setTotpSecret")(function*(id: string, secret: string) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    UPDATE staff_accounts SET totp_secret = ${secret}, totp_last_step = NULL WHERE id = ${id} RETURNING id
  `
  return rows.length === 1
}, Effect.orDie)

/**
 * Records `step` as the account's last used TOTP step, unless that step or a
 * later one was used already. Returns whether it was recorded, so of two
 * sign-ins with the same code only one succeeds.
 */
export const claimTotpStep = Effect.fn("StaffAccountStore.claimTotpStep")(function*(id: string, step: number) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`
    UPDATE staff_accounts SET totp_last_step = ${step}
    WHERE id = ${id} AND (totp_last_step IS NULL OR totp_last_step < ${step})
    RETURNING id
  `
  return rows.length === 1
}, Effect.orDie)

/** Sets or clears `disabled_at`; false when no account has `id`. */
export const setDisabledAt = Effect.fn("StaffAccountStore.setDisabledAt")(function*(id: string, disabledAt: Date | null) {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`UPDATE staff_accounts SET disabled_at = ${disabledAt} WHERE id = ${id} RETURNING id`
  return rows.length === 1
}, Effect.orDie)

/** Whether any account has the admin role, disabled or not. */
export const adminExists = Effect.fn("StaffAccountStore.adminExists")(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql`SELECT 1 FROM staff_accounts WHERE role = 'admin' LIMIT 1`
  return rows.length > 0
}, Effect.orDie)
