/**
 * The response pages of the staff forms that generate a secret: a created
 * account, a password reset and a TOTP enrolment. Each shows its secrets
 * this once, with the account they belong to.
 */
import type { StaffAccount } from "@pw/staff/StaffAccount"
import type { CreatedAccount } from "@pw/staff/StaffAccounts"
import type { TotpEnrolment } from "@pw/staff/Totp"
import { Option, type Redacted } from "effect"
import { escapeHtml } from "../HtmlText.ts"
import { renderTemporaryPassword, renderTotpEnrolment, shownOnceWarning } from "./StaffAccountSecrets.ts"

const accountFacts = (account: StaffAccount): string => `<dl class="facts" id="account-facts">
<dt>Name</dt><dd>${escapeHtml(account.name)}</dd>
<dt>E-mail</dt><dd>${escapeHtml(account.email)}</dd>
<dt>Role</dt><dd>${escapeHtml(account.role)}</dd>
</dl>`

const backLink = (path: string, label: string): string => `<p><a href="${path}">${escapeHtml(label)}</a></p>`

/** Renders the page after creating an account: its temporary password and, for admin and finance, its TOTP enrolment. */
export const renderAccountCreated = (created: CreatedAccount): string =>
  [
    accountFacts(created.account),
    shownOnceWarning,
    renderTemporaryPassword(created.temporaryPassword),
    Option.match(created.totp, { onNone: () => "", onSome: renderTotpEnrolment }),
    "<p>Hand these to the member over a channel only they can read.</p>",
    backLink("/admin/staff", "Back to the staff accounts")
  ].join("\n")

/** Renders the page after resetting the password of `account`. */
export const renderPasswordReset = (account: StaffAccount, password: Redacted.Redacted<string>): string =>
  [
    accountFacts(account),
    "<p>The member's sessions have ended.</p>",
    shownOnceWarning,
    renderTemporaryPassword(password),
    backLink("/admin/staff", "Back to the staff accounts")
  ].join("\n")

/** Renders the page after enrolling TOTP for `account`; `backPath` is the page the form was on. */
export const renderTotpEnrolled = (account: StaffAccount, enrolment: TotpEnrolment, backPath: string): string =>
  [
    accountFacts(account),
    "<p>Any earlier authenticator secret of this account no longer works.</p>",
    shownOnceWarning,
    renderTotpEnrolment(enrolment),
    backLink(backPath, backPath === "/admin/staff" ? "Back to the staff accounts" : "Back to your account")
  ].join("\n")
