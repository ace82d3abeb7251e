/**
 * The API key forms of the member's own account page: create a key, shown
 * once in the response to the form, and revoke one. Every member manages
 * their own keys; `StaffApiKeys` writes the audit rows.
 */
import { HttpRouter } from "@effect/platform"
import * as StaffApiKeys from "@pw/staff/StaffApiKeys"
import { Effect } from "effect"
import { escapeHtml } from "../HtmlText.ts"
import { seeOther } from "./AdminResponses.ts"
import { CurrentStaff, formPost } from "./AdminSession.ts"
import { consoleResponse } from "./OrderPagesHttp.ts"
import { profileFailure } from "./StaffAccountProfileHttp.ts"
import { profilePath } from "./StaffAccountProfilePage.ts"
import { renderApiKey, shownOnceWarning } from "./StaffAccountSecrets.ts"

/** POST /admin/account/keys: creates a key labelled `label` for the member's own account and shows it once. */
export const createKey = formPost((fields) =>
  Effect.gen(function*() {
    const session = yield* CurrentStaff
    const label = (fields["label"] ?? "").trim()
    const created = yield* StaffApiKeys.create(session.accountId, label, session.accountId).pipe(Effect.either)
    if (created._tag === "Left") return yield* profileFailure(created.left)
    return yield* consoleResponse(200, {
      title: "API key created",
      section: undefined,
      body: [
        `<dl class="facts"><dt>Label</dt><dd>${escapeHtml(label)}</dd><dt>Key id</dt><dd>${escapeHtml(created.right.keyId)}</dd></dl>`,
        shownOnceWarning,
        renderApiKey(created.right.key),
        `<p><a href="${profilePath}">Back to your account</a></p>`
      ].join("\n")
    })
  }))

/** POST /admin/account/keys/:keyId/revoke: revokes one of the member's own keys. */
export const revokeKey = formPost(() =>
  Effect.gen(function*() {
    const session = yield* CurrentStaff
    const keyId = (yield* HttpRouter.params)["keyId"] ?? ""
    const revoked = yield* StaffApiKeys.revoke(session.accountId, keyId, session.accountId).pipe(Effect.either)
    if (revoked._tag === "Left") return yield* profileFailure(revoked.left)
    yield* Effect.annotateLogs(Effect.logInfo("staff API key revoked"), { accountId: session.accountId, keyId })
    return seeOther(`${profilePath}?done=revoked`)
  }))
