/**
 * The staff page of admins: every account with forms to reset its password,
 * enrol or re-enrol its TOTP and disable or enable it, and the form that
 * creates an account.
 */
import type { StaffAccount } from "@pw/staff/StaffAccount"
import { maximumNameLength } from "@pw/staff/StaffAccounts"
import { maximumLength as maximumEmailLength } from "@pw/staff/StaffEmail"
import type * as StaffSessions from "@pw/staff/StaffSessions"
import { Option } from "effect"
import { escapeHtml } from "../HtmlText.ts"
import { formatTime } from "./AdminFormat.ts"
import { csrfField } from "./AdminLayout.ts"

/** Path of the staff page. */
export const staffPath = "/admin/staff"

/** Path of the forms acting on account `accountId`, such as `<path>/reset-password`. */
export const accountPath = (accountId: string): string => `${staffPath}/${encodeURIComponent(accountId)}`

/** Values of the create form to show again after a rejected submission. */
export interface CreateDraft {
  readonly name: string
  readonly email: string
  readonly role: string
}

const emptyDraft: CreateDraft = { name: "", email: "", role: "reviewer" }

const roles = [
  { role: "reviewer", label: "Reviewer: approves and cancels orders" },
  { role: "finance", label: "Finance: payments and refunds (needs TOTP)" },
  { role: "admin", label: "Admin: everything, staff included (needs TOTP)" }
] as const

/** One action button, with the member's name for screen readers so each button has its own name. */
const actionForm = (session: StaffSessions.StaffSession, action: string, label: string, account: StaffAccount, kind: string) =>
  `<form method="post" action="${accountPath(account.id)}/${action}" class="inline">${csrfField(session)}<button type="submit" class="${kind}">${escapeHtml(label)}<span class="visually-hidden"> for ${escapeHtml(account.name)}</span></button></form>`

const accountRow = (account: StaffAccount, session: StaffSessions.StaffSession): string => {
  const disabled = Option.isSome(account.disabledAt)
  const own = account.id === session.accountId
  const actions = [
    actionForm(session, "reset-password", "Reset password", account, "secondary"),
    actionForm(session, "totp", account.totpEnrolled ? "Re-enrol TOTP" : "Enrol TOTP", account, "secondary"),
    own ? "" : actionForm(session, disabled ? "enable" : "disable", disabled ? "Enable" : "Disable", account, disabled ? "secondary" : "danger")
  ].filter((form) => form !== "").join(" ")
  const status = Option.match(account.disabledAt, {
    onNone: () => account.mustChangePassword ? "Active, temporary password" : "Active",
    onSome: (at) => `Disabled since ${formatTime(at)}`
  })
  return `<tr data-account-id="${escapeHtml(account.id)}">
<th scope="row">${escapeHtml(account.name)}${own ? " (you)" : ""}</th>
<td>${escapeHtml(account.email)}</td>
<td>${escapeHtml(account.role)}</td>
<td>${account.totpEnrolled ? "Yes" : "No"}</td>
<td>${escapeHtml(status)}</td>
<td>${actions}</td>
</tr>`
}

const createForm = (session: StaffSessions.StaffSession, draft: CreateDraft): string => {
  const options = roles.map(({ role, label }) =>
    `<option value="${role}"${role === draft.role ? " selected" : ""}>${escapeHtml(label)}</option>`
  ).join("")
  return `<h2>Create an account</h2>
<form method="post" action="${staffPath}">${csrfField(session)}
<label for="new-name">Name</label>
<input type="text" id="new-name" name="name" required maxlength="${maximumNameLength}" value="${escapeHtml(draft.name)}" autocomplete="off">
<label for="new-email">E-mail</label>
<input type="email" id="new-email" name="email" required maxlength="${maximumEmailLength}" value="${escapeHtml(draft.email)}" autocomplete="off">
<label for="new-role">Role</label>
<select id="new-role" name="role">${options}</select>
<p class="hint">The next page shows the temporary password and, for admin and finance, the TOTP secret, once.</p>
<p><button type="submit">Create account</button></p>
</form>`
}

/** Renders the body of the staff page for the admin of `session`, with the create form holding `draft`. */
export const renderStaffAccounts = (
  accounts: ReadonlyArray<StaffAccount>,
  session: StaffSessions.StaffSession,
  draft: CreateDraft = emptyDraft
): string => `<table id="staff-accounts">
<caption>Staff accounts</caption>
<thead><tr><th scope="col">Name</th><th scope="col">E-mail</th><th scope="col">Role</th><th scope="col">TOTP enrolled</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
<tbody>${accounts.map((account) => accountRow(account, session)).join("\n")}</tbody>
</table>
<p class="hint">Resetting a password ends the member's sessions. Re-enrolling TOTP replaces the member's authenticator secret. You cannot disable your own account.</p>
${createForm(session, draft)}`
