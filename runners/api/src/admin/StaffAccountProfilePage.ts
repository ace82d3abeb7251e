/**
 * The member's own account page: their details, TOTP enrolment when they
 * have none, and their staff API keys.
 */
import type { StaffAccount } from "@pw/staff/StaffAccount"
import type { StaffApiKey } from "@pw/staff/StaffApiKeys"
import type * as StaffSessions from "@pw/staff/StaffSessions"
import { escapeHtml } from "../HtmlText.ts"
import { formatTime } from "./AdminFormat.ts"
import { csrfField } from "./AdminLayout.ts"
import { renderKeys } from "./StaffKeysPage.ts"

/** Path of the account page. */
export const profilePath = "/admin/account"

const totpSection = (account: StaffAccount, session: StaffSessions.StaffSession): string =>
  account.totpEnrolled
    ? "<h2>Authenticator app</h2>\n<p>TOTP is enrolled: sign-in asks for a code from your authenticator app. To replace the app, ask an admin to re-enrol you.</p>"
    : `<h2>Authenticator app</h2>
<p>TOTP is not enrolled. Enrol an authenticator app so that sign-in also asks for its six-digit code.</p>
<form method="post" action="${profilePath}/totp">${csrfField(session)}<button type="submit">Enrol an authenticator app</button></form>`

/** Renders the body of the account page of `account`, signed in as `session`. */
export const renderProfile = (
  account: StaffAccount,
  keys: ReadonlyArray<StaffApiKey>,
  session: StaffSessions.StaffSession
): string => `<dl class="facts" id="account-facts">
<dt>Name</dt><dd>${escapeHtml(account.name)}</dd>
<dt>E-mail</dt><dd>${escapeHtml(account.email)}</dd>
<dt>Role</dt><dd>${escapeHtml(account.role)}</dd>
<dt>TOTP enrolled</dt><dd>${account.totpEnrolled ? "Yes" : "No"}</dd>
<dt>Created</dt><dd>${escapeHtml(formatTime(account.createdAt))}</dd>
</dl>
<p><a href="/admin/change-password">Change your password</a></p>
${totpSection(account, session)}
${renderKeys(keys, session)}`
