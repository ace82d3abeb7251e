/**
 * The staff page's handlers, for admins only (other roles get 403): list
 * accounts, create one, reset a password, enrol TOTP, disable and enable.
 * Every change goes through `StaffAccounts` as the signed-in admin, which
 * checks the permission again and writes the audit row.
 */
import { HttpRouter, HttpServerRequest, type HttpServerResponse } from "@effect/platform"
import type { StaffAccount } from "@pw/staff/StaffAccount"
import * as StaffAccounts from "@pw/staff/StaffAccounts"
import { can } from "@pw/staff/StaffPermissions"
import { StaffRole } from "@pw/staff/StaffRole"
import { Effect, Option, Schema } from "effect"
import type { ConsolePage } from "./AdminLayout.ts"
import { seeOther } from "./AdminResponses.ts"
import { CurrentStaff, type FormFields, formPost, requireStaff } from "./AdminSession.ts"
import { consoleResponse, forbidden } from "./OrderPagesHttp.ts"
import { asSentence, failureStatus } from "./StaffAccountFailures.ts"
import { renderAccountCreated, renderPasswordReset, renderTotpEnrolled } from "./StaffAccountResultsPage.ts"
import { type CreateDraft, renderStaffAccounts, staffPath } from "./StaffAccountsPage.ts"

const doneNotices: Readonly<Record<string, string>> = {
  disabled: "The account is disabled and its sessions have ended.",
  enabled: "The account is enabled."
}

/** Runs `handler` when the signed-in member may manage staff; responds 403 otherwise. */
const requireManageStaff = <E, R>(handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
  Effect.gen(function*() {
    const session = yield* CurrentStaff
    if (!can(session.role, "manageStaff")) {
      yield* Effect.annotateLogs(Effect.logWarning("staff action not permitted"), { accountId: session.accountId, action: "manageStaff" })
      return forbidden("manageStaff")
    }
    return yield* handler
  })

/** The staff page with `status`, an optional notice and the create form's values. */
const staffResponse = Effect.fn("StaffAccountsHttp.staffResponse")(function*(
  status: number,
  notice: ConsolePage["notice"],
  draft?: CreateDraft
) {
  const session = yield* CurrentStaff
  const accounts = yield* StaffAccounts.list()
  return yield* consoleResponse(status, { title: "Staff", section: undefined, notice, body: renderStaffAccounts(accounts, session, draft) })
})

/** The staff page showing a failure of `StaffAccounts`, with the status its tag maps to. */
const failurePage = (failure: { readonly _tag: string; readonly message: string }, draft?: CreateDraft) =>
  staffResponse(failureStatus(failure), { kind: "error", text: asSentence(failure.message) }, draft)

/** GET /admin/staff: every account and the create form. */
export const showStaff = requireStaff(requireManageStaff(Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const done = doneNotices[new URL(request.url, "http://127.0.0.1").searchParams.get("done") ?? ""]
  return yield* staffResponse(200, done === undefined ? undefined : { kind: "success", text: done })
})))

/** POST /admin/staff: creates an account and shows its temporary password and TOTP enrolment once. */
export const createAccount = formPost((fields) =>
  requireManageStaff(Effect.gen(function*() {
    const session = yield* CurrentStaff
    const draft: CreateDraft = { name: fields["name"] ?? "", email: fields["email"] ?? "", role: fields["role"] ?? "" }
    if (!Schema.is(StaffRole)(draft.role)) {
      return yield* staffResponse(400, {
        kind: "error",
        text: `The role "${draft.role}" does not exist; choose admin, reviewer or finance from the list.`
      }, draft)
    }
    const created = yield* StaffAccounts.create({ name: draft.name, email: draft.email, role: draft.role }, session.accountId).pipe(Effect.either)
    if (created._tag === "Left") return yield* failurePage(created.left, draft)
    return yield* consoleResponse(200, { title: "Account created", section: undefined, body: renderAccountCreated(created.right) })
  })))

/**
 * A form on one account of the staff page: admins only, and the 404 notice
 * when the `accountId` path parameter names no account.
 */
const accountForm = <E, R>(act: (account: StaffAccount, actorId: string, fields: FormFields) => Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
  formPost((fields) =>
    requireManageStaff(Effect.gen(function*() {
      const session = yield* CurrentStaff
      const accountId = (yield* HttpRouter.params)["accountId"] ?? ""
      const account = yield* StaffAccounts.get(accountId)
      if (Option.isNone(account)) {
        return yield* staffResponse(404, { kind: "error", text: `No staff account has the id ${accountId}; choose the account from the list.` })
      }
      return yield* act(account.value, session.accountId, fields)
    })))

/** POST /admin/staff/:accountId/reset-password: sets a new temporary password, ends the member's sessions and shows the password once. */
export const resetPassword = accountForm((account, actorId) =>
  Effect.gen(function*() {
    const reset = yield* StaffAccounts.resetPassword(account.id, actorId).pipe(Effect.either)
    if (reset._tag === "Left") return yield* failurePage(reset.left)
    return yield* consoleResponse(200, { title: "Password reset", section: undefined, body: renderPasswordReset(account, reset.right) })
  }))

/** POST /admin/staff/:accountId/totp: enrols or re-enrols the member's TOTP and shows the secret once. */
export const enrolTotp = accountForm((account, actorId) =>
  Effect.gen(function*() {
    const enrolled = yield* StaffAccounts.enrolTotp(account.id, actorId).pipe(Effect.either)
    if (enrolled._tag === "Left") return yield* failurePage(enrolled.left)
    yield* Effect.annotateLogs(Effect.logInfo("staff TOTP enrolled"), { accountId: account.id, actorId })
    return yield* consoleResponse(200, { title: "TOTP enrolled", section: undefined, body: renderTotpEnrolled(account, enrolled.right, staffPath) })
  }))

/** POST /admin/staff/:accountId/disable or /enable: sets whether the account may sign in and use its API keys. */
export const setDisabled = (disabled: boolean) =>
  accountForm((account, actorId) =>
    Effect.gen(function*() {
      const changed = yield* StaffAccounts.setDisabled(account.id, disabled, actorId).pipe(Effect.either)
      if (changed._tag === "Left") return yield* failurePage(changed.left)
      yield* Effect.annotateLogs(Effect.logInfo(disabled ? "staff account disabled" : "staff account enabled"), { accountId: account.id, actorId })
      return seeOther(`${staffPath}?done=${disabled ? "disabled" : "enabled"}`)
    }))
