/**
 * The ways a staff sign-in fails. Messages are shown to the person signing
 * in, so none reveals whether an e-mail address has an account.
 */
import { Schema } from "effect"

/** Unknown e-mail or wrong password; one message for both. */
export class InvalidCredentials extends Schema.TaggedError<InvalidCredentials>()("InvalidCredentials", {
  message: Schema.String
}) {}

/** The password was right and the account needs a TOTP code, which was not sent. */
export class TotpRequired extends Schema.TaggedError<TotpRequired>()("TotpRequired", {
  message: Schema.String
}) {}

/** The TOTP code is wrong, outside the ±30 s window, or was used before. */
export class TotpInvalid extends Schema.TaggedError<TotpInvalid>()("TotpInvalid", {
  message: Schema.String
}) {}

/** An admin or finance account has no TOTP secret yet, so it cannot sign in. */
export class TotpNotEnrolled extends Schema.TaggedError<TotpNotEnrolled>()("TotpNotEnrolled", {
  message: Schema.String
}) {}

/** The account was disabled by an admin. */
export class AccountDisabled extends Schema.TaggedError<AccountDisabled>()("AccountDisabled", {
  message: Schema.String
}) {}

/** Five failed sign-ins for the e-mail or from the client address within 15 minutes; retry after `retryAfterSeconds`. */
export class TooManyAttempts extends Schema.TaggedError<TooManyAttempts>()("TooManyAttempts", {
  message: Schema.String,
  retryAfterSeconds: Schema.Int.pipe(Schema.positive())
}) {}

/** Any failure of `StaffSignIn.signIn`. */
export type SignInError = InvalidCredentials | TotpRequired | TotpInvalid | TotpNotEnrolled | AccountDisabled | TooManyAttempts
