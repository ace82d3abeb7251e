/**
 * The account page of every signed-in member: their details, TOTP
 * enrolment when they have none, and their staff API keys.
 */
import { HttpServerRequest } from "@effect/platform"
import * as StaffAccounts from "@pw/staff/StaffAccounts"
import * as StaffApiKeys from "@pw/staff/StaffApiKeys"
import { Effect, Option } from "effect"
import { type ConsolePage, renderMessagePage } from "./AdminLayout.ts"
import { htmlResponse } from "./AdminResponses.ts"
import { CurrentStaff, formPost, requireStaff } from "./AdminSession.ts"
import { consoleResponse } from "./OrderPagesHttp.ts"
import { asSentence, failureStatus } from "./StaffAccountFailures.ts"
import { profilePath, renderProfile } from "./StaffAccountProfilePage.ts"
import { renderTotpEnrolled } from "./StaffAccountResultsPage.ts"

const doneNotices: Readonly<Record<string, string>> = {
  revoked: "The API key is revoked."
}

/** The page of a session whose account was removed between sign-in and this request. */
const accountGone = () =>
  htmlResponse(404, renderMessagePage("Account not found", "Your staff account no longer exists. Sign out and ask an admin."))

/** The account page of the signed-in member with `status` and an optional notice. */
export const profileResponse = Effect.fn("StaffAccountProfileHttp.profileResponse")(function*(
  status: number,
  notice: ConsolePage["notice"]
) {
  const session = yield* CurrentStaff
  const account = yield* StaffAccounts.get(session.accountId)
  if (Option.isNone(account)) return accountGone()
  const keys = yield* StaffApiKeys.list(session.accountId)
  return yield* consoleResponse(status, {
    title: "Your account",
    section: undefined,
    notice,
    body: renderProfile(account.value, keys, session)
  })
})

/** The account page showing a failure of `StaffAccounts` or `StaffApiKeys`, with the status its tag maps to. */
export const profileFailure = (failure: { readonly _tag: string; readonly message: string }) =>
  profileResponse(failureStatus(failure), { kind: "error", text: asSentence(failure.message) })

/** GET /admin/account. */
export const showProfile = requireStaff(Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const done = doneNotices[new URL(request.url, "http://127.0.0.1").searchParams.get("done") ?? ""]
  return yield* profileResponse(200, done === undefined ? undefined : { kind: "success", text: done })
}))

/**
 * POST /admin/account/totp: enrols TOTP for the member's own account and
 * shows the secret once. A member who has TOTP gets 409: an admin
 * re-enrols them on the staff page.
 */
export const enrolOwnTotp = formPost(() =>
  Effect.gen(function*() {
    const session = yield* CurrentStaff
    const account = yield* StaffAccounts.get(session.accountId)
    if (Option.isNone(account)) return accountGone()
    if (account.value.totpEnrolled) {
      return yield* profileResponse(409, { kind: "error", text: "TOTP is already enrolled on your account. To replace it, ask an admin to re-enrol you." })
    }
    const enrolled = yield* StaffAccounts.enrolTotp(session.accountId, session.accountId).pipe(Effect.either)
    if (enrolled._tag === "Left") return yield* profileFailure(enrolled.left)
    yield* Effect.annotateLogs(Effect.logInfo("staff TOTP enrolled"), { accountId: session.accountId, actorId: session.accountId })
    return yield* consoleResponse(200, {
      title: "TOTP enrolled",
      section: undefined,
      body: renderTotpEnrolled(account.value, enrolled.right, profilePath)
    })
  }))
