/**
 * Markup of the secrets the console shows once, in the response to the form
 * that generated them: a temporary password, a TOTP enrolment and a staff
 * API key. No other page renders them, and the console does not log them.
 */
import type { TotpEnrolment } from "@pw/staff/Totp"
import { Redacted } from "effect"
import { escapeHtml } from "../HtmlText.ts"

/** The warning above every one-time secret. */
export const shownOnceWarning =
  "<p class=\"notice error\" role=\"alert\">Copy the secrets below now. The console shows them only on this page and cannot show them again.</p>"

/** Renders a temporary password, in the element with id `temporary-password`. */
export const renderTemporaryPassword = (password: Redacted.Redacted<string>): string => `<h2>Temporary password</h2>
<p><code id="temporary-password">${escapeHtml(Redacted.value(password))}</code></p>
<p class="hint">The member signs in with it once and must then choose a new password.</p>`

/** Renders a TOTP enrolment: the otpauth:// URI in `totp-uri` and the Base32 secret in `totp-secret`. */
export const renderTotpEnrolment = (enrolment: TotpEnrolment): string => `<h2>Authenticator app</h2>
<p>Add the account to an authenticator app (6 digits, 30-second codes, SHA-1) with this URI, or type in the secret by hand.</p>
<dl class="facts">
<dt>otpauth URI</dt><dd><code id="totp-uri">${escapeHtml(enrolment.uri)}</code></dd>
<dt>Secret (Base32)</dt><dd><code id="totp-secret">${escapeHtml(enrolment.secret)}</code></dd>
</dl>
<p class="hint">From now on, sign-in asks for a code from the app.</p>`

/** Renders a staff API key, in the element with id `api-key`. */
export const renderApiKey = (key: Redacted.Redacted<string>): string => `<h2>API key</h2>
<p><code id="api-key">${escapeHtml(Redacted.value(key))}</code></p>
<p class="hint">Send it in the <code>X-Staff-Key</code> header of requests to <code>/v1/staff</code>. It acts as your account until it is revoked or the account is disabled.</p>`
