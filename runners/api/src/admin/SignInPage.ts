/**
 * The sign-in and change-password forms. Field values from the request are
 * escaped; passwords are never written back into a form.
 */
import { escapeHtml } from "../HtmlText.ts"
import { renderPublicPage } from "./AdminLayout.ts"

/** Data of the sign-in form. */
export interface SignInForm {
  /** The double-submit token, also sent in the sign-in cookie. */
  readonly csrfToken: string
  /** The console path to return to after sign-in. */
  readonly next: string
  /** The e-mail typed before, kept after a failed attempt. */
  readonly email?: string
  /** The reason the last attempt failed. */
  readonly error?: string
}

const errorMessage = (error: string | undefined): string =>
  error === undefined ? "" : `<p class="notice error" role="alert" id="form-error">${escapeHtml(error)}</p>`

/** Renders the sign-in page: e-mail, password and authenticator code. */
export const renderSignInPage = (form: SignInForm): string =>
  renderPublicPage("Sign in", `${errorMessage(form.error)}
<form method="post" action="/admin/sign-in"${form.error === undefined ? "" : " aria-describedby=\"form-error\""}>
<input type="hidden" name="_csrf" value="${escapeHtml(form.csrfToken)}">
<input type="hidden" name="next" value="${escapeHtml(form.next)}">
<label for="email">E-mail</label>
<input type="email" id="email" name="email" autocomplete="username" required value="${escapeHtml(form.email ?? "")}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<label for="totp">Authenticator code</label>
<input type="text" id="totp" name="totp" inputmode="numeric" autocomplete="one-time-code" maxlength="6" aria-describedby="totp-hint">
<p class="hint" id="totp-hint">The six-digit code from your authenticator app. Leave it empty if your account has none.</p>
<p><button type="submit">Sign in</button></p>
</form>`)

/** Data of the change-password form. */
export interface ChangePasswordForm {
  readonly csrfField: string
  readonly error?: string
}

/** Renders the page where a member replaces a temporary password. */
export const renderChangePasswordPage = (form: ChangePasswordForm): string =>
  renderPublicPage("Choose a new password", `${errorMessage(form.error)}
<p>Your password was set by an admin. Choose your own before you continue; it needs at least 12 characters.</p>
<form method="post" action="/admin/change-password">
${form.csrfField}
<label for="current-password">Current password</label>
<input type="password" id="current-password" name="currentPassword" autocomplete="current-password" required>
<label for="new-password">New password</label>
<input type="password" id="new-password" name="newPassword" autocomplete="new-password" minlength="12" required>
<label for="confirm-password">New password again</label>
<input type="password" id="confirm-password" name="confirmPassword" autocomplete="new-password" minlength="12" required>
<p><button type="submit">Save password</button></p>
</form>`)
