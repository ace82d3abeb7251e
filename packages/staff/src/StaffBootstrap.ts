/**
 * Account changes made on the server by `npm run staff`, without a signed-in
 * admin: creating the first admin, and resetting a password when no admin
 * can sign in. Audit rows name the actor `command-line`.
 */
import { SqlClient } from "@effect/sql"
import { Clock, Effect, Option, type Redacted } from "effect"
import { AccountNotFound, AdminExists } from "./AccountErrors.ts"
import * as PasswordHash from "./PasswordHash.ts"
import * as PasswordReset from "./PasswordReset.ts"
import type { StaffAccount } from "./StaffAccount.ts"
import { validateName } from "./StaffAccounts.ts"
import * as StaffAccountStore from "./StaffAccountStore.ts"
import * as StaffAudit from "./StaffAudit.ts"
import { StaffConfig } from "./StaffConfig.ts"
import * as StaffEmail from "./StaffEmail.ts"
import * as Totp from "./Totp.ts"

/** The first admin with the password and TOTP enrolment to print once. */
export interface BootstrapAdmin {
  readonly account: StaffAccount
  readonly password: Redacted.Redacted<string>
  readonly totp: Totp.TotpEnrolment
}

/**
 * Creates the first admin account with a generated password and a TOTP
 * secret. Fails with {@link AdminExists} when any admin account exists; the
 * table is locked while it checks, so two runs cannot both create one.
 * Writes `staff.created`. The password need not be changed at first
 * sign-in, because only the operator has seen it.
 */
export const createFirstAdmin = Effect.fn("StaffBootstrap.createFirstAdmin")(function*(input: {
  readonly email: string
  readonly name: string
}) {
  const sql = yield* SqlClient.SqlClient
  const config = yield* StaffConfig
  const email = yield* StaffEmail.validate(input.email)
  const name = yield* validateName(input.name)
  const password = PasswordHash.generate()
  const passwordHash = yield* PasswordHash.hash(password).pipe(Effect.orDie)
  const totpSecret = Totp.generateSecret()
  const now = yield* Clock.currentTimeMillis
  const row = yield* sql.withTransaction(Effect.gen(function*() {
    yield* sql`LOCK TABLE staff_accounts IN SHARE ROW EXCLUSIVE MODE`
    if (yield* StaffAccountStore.adminExists()) {
      return yield* new AdminExists({
        message: "an admin account exists already; sign in to the console as an admin to create more accounts, or run `npm run staff -- reset-password`"
      })
    }
    const inserted = yield* StaffAccountStore.insert(
      { email, name, role: "admin", passwordHash, totpSecret, mustChangePassword: false },
      new Date(now)
    )
    yield* StaffAudit.record(inserted.id, "staff.created", { actorId: StaffAudit.commandLineActor, role: "admin", email })
    return inserted
  })).pipe(Effect.catchTag("SqlError", Effect.die))
  return {
    account: StaffAccountStore.toAccount(row),
    password,
    totp: { secret: totpSecret, uri: Totp.otpauthUri(config.totpIssuer, email, totpSecret) }
  } satisfies BootstrapAdmin
})

/**
 * Resets the password of the account with e-mail `email` (see
 * `PasswordReset.applyTemporaryPassword`) and, with `newTotp`, also gives it
 * a new TOTP secret for a lost authenticator. Fails with
 * {@link AccountNotFound} when no account has that e-mail.
 */
export const resetPassword = Effect.fn("StaffBootstrap.resetPassword")(function*(email: string, newTotp: boolean) {
  const config = yield* StaffConfig
  const normalized = yield* StaffEmail.validate(email)
  const found = yield* StaffAccountStore.findByEmail(normalized)
  if (Option.isNone(found)) {
    return yield* new AccountNotFound({ account: normalized, message: `no staff account has the e-mail ${normalized}; check the spelling` })
  }
  const account = found.value
  const password = yield* PasswordReset.applyTemporaryPassword(account.id, StaffAudit.commandLineActor)
  if (!newTotp) return { account: StaffAccountStore.toAccount(account), password, totp: Option.none<Totp.TotpEnrolment>() }
  const sql = yield* SqlClient.SqlClient
  const secret = Totp.generateSecret()
  yield* sql.withTransaction(Effect.gen(function*() {
    yield* StaffAccountStore.setTotpSecret(account.id, secret)
    yield* StaffAudit.record(account.id, "staff.totp_enrolled", { actorId: StaffAudit.commandLineActor })
  })).pipe(Effect.orDie)
  return {
    account: StaffAccountStore.toAccount(account),
    password,
    totp: Option.some<Totp.TotpEnrolment>({ secret, uri: Totp.otpauthUri(config.totpIssuer, account.email, secret) })
  }
})
