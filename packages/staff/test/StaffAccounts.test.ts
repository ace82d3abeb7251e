/**
 * Account management against a real PostgreSQL: creation by an admin,
 * permission checks, password reset and change, TOTP enrolment, and the
 * audit rows each change writes.
 */
import { describe, expect, layer } from "@effect/vitest"
import * as AuditLog from "@pw/db/AuditLog"
import { Effect, Option, Redacted } from "effect"
import * as StaffAccounts from "../src/StaffAccounts.ts"
import * as StaffSessions from "../src/StaffSessions.ts"
import * as StaffSignIn from "../src/StaffSignIn.ts"
import * as Totp from "../src/Totp.ts"
import { layer as staffLayer, password, seedAccount } from "./support/StaffFixtures.ts"

const newPassword = Redacted.make("a brand new passphrase")

const events = (accountId: string) =>
  Effect.map(AuditLog.list("StaffAccount", accountId), (entries) => entries.map((entry) => entry.event))

layer(staffLayer)("StaffAccounts", (it) => {
  describe("create", () => {
    it.effect("admin creates a finance account", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("creator", "admin", true)
        const created = yield* StaffAccounts.create({ email: " Fin@Example.com ", name: "Fin Ance", role: "finance" }, admin.id)
        expect(created.account.email).toBe("fin@example.com")
        expect(created.account.mustChangePassword).toBe(true)
        expect(Option.map(created.totp, (totp) => totp.uri.startsWith("otpauth://totp/"))).toEqual(Option.some(true))
        expect(yield* events(created.account.id)).toEqual(["staff.created"])
      }))

    it.effect("reviewer gets no TOTP", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("creator-2", "admin", true)
        const created = yield* StaffAccounts.create({ email: "rev@example.com", name: "Rev Iewer", role: "reviewer" }, admin.id)
        expect(Option.isNone(created.totp)).toBe(true)
      }))

    it.effect("new account signs in", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("creator-3", "admin", true)
        const created = yield* StaffAccounts.create({ email: "first-day@example.com", name: "First Day", role: "reviewer" }, admin.id)
        const signedIn = yield* StaffSignIn.signIn({
          email: "first-day@example.com",
          password: created.temporaryPassword,
          client: "192.0.2.40"
        })
        expect(signedIn.account.mustChangePassword).toBe(true)
      }))

    it.effect("reviewer may not create", () =>
      Effect.gen(function*() {
        const reviewer = yield* seedAccount("not-admin", "reviewer", false)
        const error = yield* Effect.flip(
          StaffAccounts.create({ email: "x@example.com", name: "X", role: "admin" }, reviewer.id)
        )
        expect(error._tag).toBe("NotPermitted")
      }))

    it.effect("rejects an invalid e-mail", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("creator-4", "admin", true)
        const error = yield* Effect.flip(StaffAccounts.create({ email: "not-an-address", name: "X", role: "reviewer" }, admin.id))
        expect(error._tag).toBe("InvalidEmail")
      }))

    it.effect("rejects a taken e-mail", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("creator-5", "admin", true)
        const error = yield* Effect.flip(StaffAccounts.create({ email: admin.email, name: "Twin", role: "reviewer" }, admin.id))
        expect(error._tag).toBe("EmailTaken")
      }))
  })

  describe("password reset", () => {
    it.effect("revokes sessions and forces a change", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("resetter", "admin", true)
        const reviewer = yield* seedAccount("forgetful", "reviewer", false)
        const session = yield* StaffSessions.create(reviewer.id, "reviewer")
        const temporary = yield* StaffAccounts.resetPassword(reviewer.id, admin.id)
        const ended = yield* Effect.flip(StaffSessions.validate(session.token))
        expect(ended.reason).toBe("revoked")
        const account = yield* StaffAccounts.get(reviewer.id)
        expect(Option.map(account, (each) => each.mustChangePassword)).toEqual(Option.some(true))
        const old = yield* Effect.flip(StaffSignIn.signIn({ email: reviewer.email, password, client: "192.0.2.41" }))
        expect(old._tag).toBe("InvalidCredentials")
        const signedIn = yield* StaffSignIn.signIn({ email: reviewer.email, password: temporary, client: "192.0.2.41" })
        expect(signedIn.account.id).toBe(reviewer.id)
      }))

    it.effect("audit row names the admin", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("resetter-2", "admin", true)
        const reviewer = yield* seedAccount("forgetful-2", "reviewer", false)
        yield* StaffAccounts.resetPassword(reviewer.id, admin.id)
        const rows = yield* AuditLog.list("StaffAccount", reviewer.id)
        expect(rows.map((row) => row.event)).toEqual(["staff.password_reset"])
      }))

    it.effect("finance may not reset", () =>
      Effect.gen(function*() {
        const finance = yield* seedAccount("finance-resetter", "finance", true)
        const reviewer = yield* seedAccount("forgetful-3", "reviewer", false)
        const error = yield* Effect.flip(StaffAccounts.resetPassword(reviewer.id, finance.id))
        expect(error._tag).toBe("NotPermitted")
      }))
  })

  describe("password change", () => {
    it.effect("clears mustChangePassword", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("resetter-3", "admin", true)
        const reviewer = yield* seedAccount("changer", "reviewer", false)
        const temporary = yield* StaffAccounts.resetPassword(reviewer.id, admin.id)
        yield* StaffAccounts.changePassword(reviewer.id, temporary, newPassword)
        const account = yield* StaffAccounts.get(reviewer.id)
        expect(Option.map(account, (each) => each.mustChangePassword)).toEqual(Option.some(false))
        expect(yield* events(reviewer.id)).toEqual(["staff.password_reset", "staff.password_changed"])
      }))

    it.effect("rejects a wrong current password", () =>
      Effect.gen(function*() {
        const reviewer = yield* seedAccount("changer-2", "reviewer", false)
        const error = yield* Effect.flip(StaffAccounts.changePassword(reviewer.id, newPassword, newPassword))
        expect(error._tag).toBe("InvalidCredentials")
      }))

    it.effect("rejects a short new password", () =>
      Effect.gen(function*() {
        const reviewer = yield* seedAccount("changer-3", "reviewer", false)
        const error = yield* Effect.flip(StaffAccounts.changePassword(reviewer.id, password, Redacted.make("short")))
        expect(error._tag).toBe("PasswordRejected")
      }))
  })

  describe("totp and disable", () => {
    it.effect("reviewer enrols their own TOTP", () =>
      Effect.gen(function*() {
        const reviewer = yield* seedAccount("self-enrol", "reviewer", false)
        const enrolment = yield* StaffAccounts.enrolTotp(reviewer.id, reviewer.id)
        const missing = yield* Effect.flip(StaffSignIn.signIn({ email: reviewer.email, password, client: "192.0.2.42" }))
        expect(missing._tag).toBe("TotpRequired")
        expect(enrolment.uri).toContain(`secret=${enrolment.secret}`)
        expect(Totp.codeAt(enrolment.secret, 0)).toMatch(/^\d{6}$/)
      }))

    it.effect("reviewer may not enrol others", () =>
      Effect.gen(function*() {
        const reviewer = yield* seedAccount("meddler", "reviewer", false)
        const other = yield* seedAccount("meddled", "reviewer", false)
        const error = yield* Effect.flip(StaffAccounts.enrolTotp(other.id, reviewer.id))
        expect(error._tag).toBe("NotPermitted")
      }))

    it.effect("admin may not disable themselves", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("self-disabler", "admin", true)
        const error = yield* Effect.flip(StaffAccounts.setDisabled(admin.id, true, admin.id))
        expect(error._tag).toBe("NotPermitted")
      }))

    it.effect("disable ends sessions", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("disabler", "admin", true)
        const reviewer = yield* seedAccount("leaver", "reviewer", false)
        const session = yield* StaffSessions.create(reviewer.id, "reviewer")
        yield* StaffAccounts.setDisabled(reviewer.id, true, admin.id)
        const ended = yield* Effect.flip(StaffSessions.validate(session.token))
        expect(ended.reason).toBe("revoked")
        expect(yield* events(reviewer.id)).toEqual(["staff.disabled"])
      }))
  })
})
