/**
 * Staff account management for the console: create, list, reset a password,
 * change one's own password, enrol TOTP, disable and enable. Each change
 * takes the acting staff member's id, checks their permission and writes an
 * audit row naming them, in the transaction of the change.
 */
import { SqlClient } from "@effect/sql"
import { Clock, Effect, Option, Redacted } from "effect"
import { AccountNotFound, InvalidName, NotPermitted } from "./AccountErrors.ts"
import * as PasswordHash from "./PasswordHash.ts"
import * as PasswordReset from "./PasswordReset.ts"
import { InvalidCredentials } from "./SignInErrors.ts"
import type { StaffAccount } from "./StaffAccount.ts"
import * as StaffAccountStore from "./StaffAccountStore.ts"
import * as StaffActor from "./StaffActor.ts"
import * as StaffAudit from "./StaffAudit.ts"
import { StaffConfig } from "./StaffConfig.ts"
import * as StaffEmail from "./StaffEmail.ts"
import { requiresTotp, type StaffRole } from "./StaffRole.ts"
import * as StaffSessions from "./StaffSessions.ts"
import * as Totp from "./Totp.ts"

/** Maximum display name length, in characters. */
export const maximumNameLength = 200

/** Fields of a new account. */
export interface NewStaffAccount {
  readonly email: string
  readonly name: string
  readonly role: StaffRole
}

/** A new account with its one-time secrets, to hand to its owner. */
export interface CreatedAccount {
  readonly account: StaffAccount
  /** Temporary password; the owner must change it at first sign-in. */
  readonly temporaryPassword: Redacted.Redacted<string>
  /** The TOTP enrolment, made at creation for admin and finance accounts, which cannot sign in without one. */
  readonly totp: Option.Option<Totp.TotpEnrolment>
}

/** Trims `name` and fails with {@link InvalidName} when it is empty or longer than 200 characters. */
export const validateName = (name: string): Effect.Effect<string, InvalidName> => {
  const trimmed = name.trim()
  return trimmed === "" || trimmed.length > maximumNameLength
    ? Effect.fail(new InvalidName({ message: `the name must have 1 to ${maximumNameLength} characters (got ${trimmed.length})` }))
    : Effect.succeed(trimmed)
}

const notFound = (account: string) =>
  new AccountNotFound({ account, message: `no staff account ${account}; check the id in the account list` })

const requireAccount = (accountId: string) =>
  Effect.flatMap(StaffAccountStore.findById(accountId), Option.match({
    onNone: () => Effect.fail(notFound(accountId)),
    onSome: Effect.succeed
  }))

const enrolment = (email: string, secret: string) =>
  Effect.map(StaffConfig, (config): Totp.TotpEnrolment => ({ secret, uri: Totp.otpauthUri(config.totpIssuer, email, secret) }))

/**
 * Creates an account with a generated temporary password that must be
 * changed at first sign-in, and a TOTP secret for admin and finance
 * accounts. Only an admin may create accounts. Writes `staff.created`.
 */
export const create = Effect.fn("StaffAccounts.create")(function*(input: NewStaffAccount, actorId: string) {
  const sql = yield* SqlClient.SqlClient
  yield* StaffActor.authorize(actorId, "manageStaff")
  const email = yield* StaffEmail.validate(input.email)
  const name = yield* validateName(input.name)
  const temporaryPassword = PasswordHash.generate()
  const passwordHash = yield* PasswordHash.hash(temporaryPassword).pipe(Effect.orDie)
  const totpSecret = requiresTotp(input.role) ? Totp.generateSecret() : null
  const now = yield* Clock.currentTimeMillis
  const row = yield* sql.withTransaction(Effect.gen(function*() {
    const inserted = yield* StaffAccountStore.insert(
      { email, name, role: input.role, passwordHash, totpSecret, mustChangePassword: true },
      new Date(now)
    )
    yield* StaffAudit.record(inserted.id, "staff.created", { actorId, role: input.role, email })
    return inserted
  })).pipe(Effect.catchTag("SqlError", Effect.die))
  yield* Effect.annotateLogs(Effect.logInfo("staff account created"), { accountId: row.id, actorId, role: row.role })
  return {
    account: StaffAccountStore.toAccount(row),
    temporaryPassword,
    totp: totpSecret === null ? Option.none() : Option.some(yield* enrolment(email, totpSecret))
  } satisfies CreatedAccount
})

/** The account with `accountId`, or none. */
export const get = Effect.fn("StaffAccounts.get")(function*(accountId: string) {
  return Option.map(yield* StaffAccountStore.findById(accountId), StaffAccountStore.toAccount)
})

/** Every account, ordered by e-mail. */
export const list = Effect.fn("StaffAccounts.list")(function*() {
  return (yield* StaffAccountStore.listAll()).map(StaffAccountStore.toAccount)
})

/**
 * Sets a generated temporary password on `accountId`, marks the account
 * `mustChangePassword` and ends all its sessions. Only an admin may reset.
 * Writes `staff.password_reset` naming the admin. Returns the password,
 * which exists only in this value.
 */
export const resetPassword = Effect.fn("StaffAccounts.resetPassword")(function*(accountId: string, actorId: string) {
  yield* StaffActor.authorize(actorId, "manageStaff")
  return yield* PasswordReset.applyTemporaryPassword(accountId, actorId)
})

/**
 * Changes the password of `accountId` after checking `currentPassword`, and
 * clears `mustChangePassword`. Other sessions of the account end; the
 * session of `keepSession`, the one making the change, stays open. Writes
 * `staff.password_changed`.
 */
export const changePassword = Effect.fn("StaffAccounts.changePassword")(function*(
  accountId: string,
  currentPassword: Redacted.Redacted<string>,
  newPassword: Redacted.Redacted<string>,
  keepSession?: Redacted.Redacted<string>
) {
  const sql = yield* SqlClient.SqlClient
  const account = yield* requireAccount(accountId)
  if (!(yield* PasswordHash.verify(currentPassword, account.password_hash))) {
    return yield* new InvalidCredentials({ message: "the current password is wrong; enter the password you signed in with" })
  }
  const passwordHash = yield* PasswordHash.hash(newPassword)
  yield* sql.withTransaction(Effect.gen(function*() {
    yield* StaffAccountStore.setPassword(accountId, passwordHash, false)
    const revoked = yield* StaffSessions.revokeAll(accountId, keepSession)
    yield* StaffAudit.record(accountId, "staff.password_changed", { actorId: accountId, revokedSessions: revoked })
  })).pipe(Effect.catchTag("SqlError", Effect.die))
})

/**
 * Gives `accountId` a new TOTP secret, replacing any earlier one, and
 * returns it with its otpauth:// URI. Members may enrol their own account;
 * only an admin may enrol someone else's. Writes `staff.totp_enrolled`.
 */
export const enrolTotp = Effect.fn("StaffAccounts.enrolTotp")(function*(accountId: string, actorId: string) {
  const sql = yield* SqlClient.SqlClient
  if (actorId !== accountId) yield* StaffActor.authorize(actorId, "manageStaff")
  const account = yield* requireAccount(accountId)
  const secret = Totp.generateSecret()
  yield* sql.withTransaction(Effect.gen(function*() {
    yield* StaffAccountStore.setTotpSecret(accountId, secret)
    yield* StaffAudit.record(accountId, "staff.totp_enrolled", { actorId })
  })).pipe(Effect.orDie)
  return yield* enrolment(account.email, secret)
})

/**
 * Disables `accountId` (no sign-in, no API key use) and ends its sessions,
 * or enables it again. Only an admin may, and not on their own account.
 * Writes `staff.disabled` or `staff.enabled`.
 */
export const setDisabled = Effect.fn("StaffAccounts.setDisabled")(function*(
  accountId: string,
  disabled: boolean,
  actorId: string
) {
  const sql = yield* SqlClient.SqlClient
  yield* StaffActor.authorize(actorId, "manageStaff")
  if (actorId === accountId) {
    return yield* new NotPermitted({
      actorId,
      action: "manageStaff",
      message: "an admin may not disable or enable their own account; ask another admin"
    })
  }
  const now = yield* Clock.currentTimeMillis
  yield* sql.withTransaction(Effect.gen(function*() {
    if (!(yield* StaffAccountStore.setDisabledAt(accountId, disabled ? new Date(now) : null))) return yield* notFound(accountId)
    if (disabled) yield* StaffSessions.revokeAll(accountId)
    yield* StaffAudit.record(accountId, disabled ? "staff.disabled" : "staff.enabled", { actorId })
  })).pipe(Effect.catchTag("SqlError", Effect.die))
})
