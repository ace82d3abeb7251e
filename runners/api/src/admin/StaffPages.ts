/**
 * The console's staff pages: the staff accounts of admins (create, reset a
 * password, enrol TOTP, disable and enable) and every member's own account
 * page with their TOTP enrolment and staff API keys.
 */
import { Effect } from "effect"
import type { ConsoleRoute, ConsoleRouter } from "./AdminConsole.ts"
import { enrolOwnTotp, showProfile } from "./StaffAccountProfileHttp.ts"
import { createAccount, enrolTotp, resetPassword, setDisabled, showStaff } from "./StaffAccountsHttp.ts"
import { createKey, revokeKey } from "./StaffKeysHttp.ts"

/** Adds the staff pages' routes to the console's router. */
export const addStaffPages = (router: ConsoleRouter, route: ConsoleRoute) =>
  Effect.gen(function*() {
    yield* router.get("/admin/staff", route(showStaff))
    yield* router.post("/admin/staff", route(createAccount))
    yield* router.post("/admin/staff/:accountId/reset-password", route(resetPassword))
    yield* router.post("/admin/staff/:accountId/totp", route(enrolTotp))
    yield* router.post("/admin/staff/:accountId/disable", route(setDisabled(true)))
    yield* router.post("/admin/staff/:accountId/enable", route(setDisabled(false)))

    yield* router.get("/admin/account", route(showProfile))
    yield* router.post("/admin/account/totp", route(enrolOwnTotp))
    yield* router.post("/admin/account/keys", route(createKey))
    yield* router.post("/admin/account/keys/:keyId/revoke", route(revokeKey))
  })
