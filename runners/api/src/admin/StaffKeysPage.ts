/**
 * The API key section of the member's own account page: the keys with when
 * each was created, last used and revoked, a revoke button on each active
 * key, and the form that creates one.
 */
import { maximumLabelLength, type StaffApiKey } from "@pw/staff/StaffApiKeys"
import type * as StaffSessions from "@pw/staff/StaffSessions"
import { Option } from "effect"
import { escapeHtml } from "../HtmlText.ts"
import { formatTime } from "./AdminFormat.ts"
import { csrfField } from "./AdminLayout.ts"

/** Path of the form that creates a key; `<path>/<keyId>/revoke` revokes one. */
export const keysPath = "/admin/account/keys"

const keyRow = (key: StaffApiKey, session: StaffSessions.StaffSession): string => {
  const revoke = Option.isNone(key.revokedAt)
    ? `<form method="post" action="${keysPath}/${encodeURIComponent(key.id)}/revoke" class="inline">${csrfField(session)}<button type="submit" class="danger">Revoke<span class="visually-hidden"> ${escapeHtml(key.label)}</span></button></form>`
    : ""
  return `<tr data-key-id="${escapeHtml(key.id)}">
<th scope="row">${escapeHtml(key.label)}</th>
<td>${escapeHtml(formatTime(key.createdAt))}</td>
<td>${escapeHtml(Option.match(key.lastUsedAt, { onNone: () => "Never", onSome: formatTime }))}</td>
<td>${escapeHtml(Option.match(key.revokedAt, { onNone: () => "Active", onSome: (at) => `Revoked ${formatTime(at)}` }))}</td>
<td>${revoke}</td>
</tr>`
}

const createForm = (session: StaffSessions.StaffSession): string => `<form method="post" action="${keysPath}">${csrfField(session)}
<label for="key-label">Label</label>
<input type="text" id="key-label" name="label" required maxlength="${maximumLabelLength}" aria-describedby="key-label-hint" autocomplete="off">
<p class="hint" id="key-label-hint">What the key is for, such as "nightly export". The next page shows the key once.</p>
<p><button type="submit">Create API key</button></p>
</form>`

/** Renders the API key section for the member of `session`, who creates and revokes their own keys. */
export const renderKeys = (keys: ReadonlyArray<StaffApiKey>, session: StaffSessions.StaffSession): string => {
  const table = keys.length === 0
    ? "<p>No API keys yet.</p>"
    : `<table id="api-keys">
<caption>Your API keys</caption>
<thead><tr><th scope="col">Label</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
<tbody>${keys.map((key) => keyRow(key, session)).join("\n")}</tbody></table>`
  const form = createForm(session)
  return `<h2>API keys</h2>
<p>A key calls the staff API under <code>/v1/staff</code> as you, in the <code>X-Staff-Key</code> header.</p>
${table}
${form}`
}
