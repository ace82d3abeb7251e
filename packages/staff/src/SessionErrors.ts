/**
 * Failures of staff session checks. The console responds to a session failure
 * by sending the browser to the sign-in page, and to a CSRF failure with 403.
 */
import { Schema } from "effect"

/** Reason a session token no longer authenticates anyone. */
export const SessionInvalidReason = Schema.Literal("unknown", "revoked", "idle", "expired", "accountDisabled", "roleChanged")

/** The session token is unknown, revoked, idle too long, past its maximum age, or its account changed. */
export class SessionInvalid extends Schema.TaggedError<SessionInvalid>()("SessionInvalid", {
  reason: SessionInvalidReason,
  message: Schema.String
}) {}

/** The form's CSRF token is missing or is not the session's. */
export class CsrfInvalid extends Schema.TaggedError<CsrfInvalid>()("CsrfInvalid", {
  message: Schema.String
}) {}
