/**
 * Staff sign-in to the admin console: e-mail and password, then a TOTP code
 * where the account needs one, under the lockout of `SignInAttempts`. Every
 * success and failure writes an audit row and a log line.
 */
import { Clock, Effect, Option, Redacted } from "effect"
import * as PasswordHash from "./PasswordHash.ts"
import * as SignInAttempts from "./SignInAttempts.ts"
import {
  AccountDisabled,
  InvalidCredentials,
  type SignInError,
  TotpInvalid,
  TotpNotEnrolled,
  TotpRequired
} from "./SignInErrors.ts"
import type { StaffAccount } from "./StaffAccount.ts"
import * as StaffAccountStore from "./StaffAccountStore.ts"
import * as StaffAudit from "./StaffAudit.ts"
import * as StaffEmail from "./StaffEmail.ts"
import { requiresTotp } from "./StaffRole.ts"
import * as StaffSessions from "./StaffSessions.ts"
import * as Totp from "./Totp.ts"

/** The sign-in form's fields and the client's address. */
export interface SignInRequest {
  readonly email: string
  readonly password: Redacted.Redacted<string>
  /** The six-digit code from the authenticator app; omit it on the first step. */
  readonly totpCode?: string | undefined
  /** The client's IP address, for the per-address lockout and the audit row. */
  readonly client: string
}

/** A successful sign-in: the account and its new session. */
export interface SignedIn {
  readonly account: StaffAccount
  readonly session: StaffSessions.NewSession
}

const invalidCredentials = () =>
  new InvalidCredentials({ message: "the e-mail address or password is wrong; check both and try again" })

/** Reason of a failed sign-in, in the audit row and the log. */
type FailureReason =
  | "invalidCredentials"
  | "tooManyAttempts"
  | "accountDisabled"
  | "totpNotEnrolled"
  | "totpRequired"
  | "totpInvalid"
  | "totpReplayed"

/**
 * Signs a staff member in and creates their session. Fails with
 * {@link InvalidCredentials} for an unknown e-mail or a wrong password (one
 * message for both, and the same scrypt work for both), `TooManyAttempts`
 * while the e-mail or client address is locked, {@link AccountDisabled},
 * {@link TotpNotEnrolled} for an admin or finance account without TOTP,
 * {@link TotpRequired} when the code is missing and {@link TotpInvalid} for
 * a wrong or reused code. Wrong passwords and wrong codes count towards the
 * lockout. A success clears the account's count, but not the address's.
 */
export const signIn = Effect.fn("StaffSignIn.signIn")(function*(request: SignInRequest) {
  const now = yield* Clock.currentTimeMillis
  const email = StaffEmail.normalize(request.email).slice(0, StaffEmail.maximumLength + 1)
  const client = request.client.trim().slice(0, 100) || "unknown"
  const accountKey = SignInAttempts.accountKey(email)
  const found = email.length > StaffEmail.maximumLength ? Option.none() : yield* StaffAccountStore.findByEmail(email)
  const accountId = Option.match(found, { onNone: () => StaffAudit.unknownAccountId, onSome: (row) => row.id })

  const fail = <E extends SignInError>(reason: FailureReason, error: E) =>
    Effect.gen(function*() {
      yield* StaffAudit.record(accountId, "staff.sign_in_failed", {
        reason,
        client,
        ...(Option.isNone(found) ? { email } : {})
      })
      yield* Effect.annotateLogs(Effect.logWarning("staff sign-in failed"), { accountId, client, reason })
      return yield* error
    })

  const reserved = yield* SignInAttempts.reserve([accountKey, SignInAttempts.clientKey(client)], now).pipe(
    Effect.catchTag("TooManyAttempts", (error) => fail("tooManyAttempts", error))
  )
  const passwordMatches = yield* PasswordHash.verify(
    request.password,
    Option.match(found, { onNone: () => PasswordHash.decoyHash, onSome: (row) => row.password_hash })
  )
  if (Option.isNone(found) || !passwordMatches) return yield* fail("invalidCredentials", invalidCredentials())
  const account = found.value

  if (account.disabled_at !== null) {
    yield* SignInAttempts.release(reserved)
    return yield* fail("accountDisabled", new AccountDisabled({ message: "this staff account is disabled; ask an admin to enable it" }))
  }
  if (account.totp_secret === null && requiresTotp(account.role)) {
    yield* SignInAttempts.release(reserved)
    return yield* fail(
      "totpNotEnrolled",
      new TotpNotEnrolled({
        message: `${account.role} accounts must sign in with a TOTP code and this account has none enrolled; ask an admin to enrol an authenticator app for it`
      })
    )
  }
  if (account.totp_secret !== null) {
    const code = request.totpCode?.trim() ?? ""
    if (code === "") {
      yield* SignInAttempts.release(reserved)
      return yield* fail("totpRequired", new TotpRequired({ message: "enter the six-digit code from your authenticator app" }))
    }
    const step = Totp.matchingStep(account.totp_secret, code, now)
    const codeError = new TotpInvalid({
      message: "the authenticator code is wrong, expired or already used; wait for the next code and enter it"
    })
    if (Option.isNone(step)) return yield* fail("totpInvalid", codeError)
    if (!(yield* StaffAccountStore.claimTotpStep(account.id, step.value))) return yield* fail("totpReplayed", codeError)
  }

  yield* SignInAttempts.clear(accountKey)
  yield* SignInAttempts.release(reserved)
  const session = yield* StaffSessions.create(account.id, account.role)
  yield* StaffAudit.record(account.id, "staff.signed_in", { client, sessionId: session.sessionId })
  yield* Effect.annotateLogs(Effect.logInfo("staff signed in"), { accountId: account.id, client, sessionId: session.sessionId })
  return { account: StaffAccountStore.toAccount(account), session } satisfies SignedIn
})
