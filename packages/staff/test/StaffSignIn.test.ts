/**
 * Sign-in against a real PostgreSQL: each role with and without TOTP, the
 * error for each kind of failure, code replay, and the audit rows. Time is
 * Effect's TestClock, which starts at 1970-01-01T00:00:00Z and is shared by
 * the cases.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import * as AuditLog from "@pw/db/AuditLog"
import { Effect, Redacted, TestClock } from "effect"
import * as StaffAccounts from "../src/StaffAccounts.ts"
import * as StaffSignIn from "../src/StaffSignIn.ts"
import { codeNow, layer as staffLayer, password, seedAccount } from "./support/StaffFixtures.ts"

// Each e-mail signs in from its own documentation address, so that failures
// in one case do not lock the address for the next.
const clients = new Map<string, string>()
const clientOf = (email: string): string => {
  const known = clients.get(email)
  if (known !== undefined) return known
  const assigned = `192.0.2.${clients.size + 1}`
  clients.set(email, assigned)
  return assigned
}

const signIn = (email: string, totpCode?: string, presented = password) =>
  StaffSignIn.signIn({ email, password: presented, totpCode, client: clientOf(email) })

layer(staffLayer)("StaffSignIn", (it) => {
  describe("roles", () => {
    it.effect("admin signs in with code", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("admin-ok", "admin", true)
        const signedIn = yield* signIn(admin.email, yield* codeNow(admin))
        expect(signedIn.account.role).toBe("admin")
        expect(Redacted.value(signedIn.session.token).length).toBe(43)
      }))

    it.effect("finance signs in with code", () =>
      Effect.gen(function*() {
        const finance = yield* seedAccount("finance-ok", "finance", true)
        const signedIn = yield* signIn(finance.email, yield* codeNow(finance))
        expect(signedIn.account.role).toBe("finance")
      }))

    it.effect("reviewer without TOTP needs no code", () =>
      Effect.gen(function*() {
        const reviewer = yield* seedAccount("reviewer-plain", "reviewer", false)
        const signedIn = yield* signIn(reviewer.email)
        expect(signedIn.account.role).toBe("reviewer")
      }))

    it.effect("enrolled reviewer needs the code", () =>
      Effect.gen(function*() {
        const reviewer = yield* seedAccount("reviewer-totp", "reviewer", true)
        const missing = yield* Effect.flip(signIn(reviewer.email))
        expect(missing._tag).toBe("TotpRequired")
        const signedIn = yield* signIn(reviewer.email, yield* codeNow(reviewer))
        expect(signedIn.account.totpEnrolled).toBe(true)
      }))

    it.effect("admin without code gets TotpRequired", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("admin-nocode", "admin", true)
        const error = yield* Effect.flip(signIn(admin.email))
        expect(error._tag).toBe("TotpRequired")
      }))

    it.effect("unenrolled admin cannot sign in", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("admin-unenrolled", "admin", false)
        const error = yield* Effect.flip(signIn(admin.email, "123456"))
        expect(error._tag).toBe("TotpNotEnrolled")
        expect(error.message).toContain("enrol")
      }))

    it.effect("unenrolled finance cannot sign in", () =>
      Effect.gen(function*() {
        const finance = yield* seedAccount("finance-unenrolled", "finance", false)
        const error = yield* Effect.flip(signIn(finance.email))
        expect(error._tag).toBe("TotpNotEnrolled")
      }))
  })

  describe("failures", () => {
    it.effect("unknown e-mail and wrong password match", () =>
      Effect.gen(function*() {
        const reviewer = yield* seedAccount("reviewer-wrong", "reviewer", false)
        const unknown = yield* Effect.flip(signIn("nobody@example.com"))
        const wrong = yield* Effect.flip(signIn(reviewer.email, undefined, Redacted.make("not the password at all")))
        expect(unknown._tag).toBe("InvalidCredentials")
        expect(wrong._tag).toBe("InvalidCredentials")
        expect(wrong.message).toBe(unknown.message)
      }))

    it.effect("wrong code is TotpInvalid", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("admin-badcode", "admin", true)
        const code = yield* codeNow(admin)
        const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0")
        const error = yield* Effect.flip(signIn(admin.email, wrong))
        expect(error._tag).toBe("TotpInvalid")
      }))

    it.effect("replayed code is rejected", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("admin-replay", "admin", true)
        const code = yield* codeNow(admin)
        yield* signIn(admin.email, code)
        const replay = yield* Effect.flip(signIn(admin.email, code))
        expect(replay._tag).toBe("TotpInvalid")
      }))

    it.effect("earlier step after later one rejected", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("admin-order", "admin", true)
        yield* TestClock.adjust("5 minutes")
        yield* signIn(admin.email, yield* codeNow(admin, 1))
        const earlier = yield* Effect.flip(signIn(admin.email, yield* codeNow(admin)))
        expect(earlier._tag).toBe("TotpInvalid")
      }))

    it.effect("previous and next step accepted", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("admin-drift", "admin", true)
        yield* TestClock.adjust("10 minutes")
        const previous = yield* signIn(admin.email, yield* codeNow(admin, -1))
        expect(previous.account.id).toBe(admin.id)
        const next = yield* signIn(admin.email, yield* codeNow(admin, 1))
        expect(next.account.id).toBe(admin.id)
      }))

    it.effect("disabled account is refused", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("admin-disabler", "admin", true)
        const reviewer = yield* seedAccount("reviewer-disabled", "reviewer", false)
        yield* StaffAccounts.setDisabled(reviewer.id, true, admin.id)
        const error = yield* Effect.flip(signIn(reviewer.email))
        expect(error._tag).toBe("AccountDisabled")
      }))
  })

  describe("audit", () => {
    it.effect("records success and failure", () =>
      Effect.gen(function*() {
        const reviewer = yield* seedAccount("reviewer-audit", "reviewer", false)
        yield* Effect.flip(signIn(reviewer.email, undefined, Redacted.make("not the password at all")))
        yield* signIn(reviewer.email)
        const events = (yield* AuditLog.list("StaffAccount", reviewer.id)).map((entry) => entry.event)
        expect(events).toEqual(["staff.sign_in_failed", "staff.signed_in"])
      }))

    it.effect("records unknown e-mail without secrets", () =>
      Effect.gen(function*() {
        const secret = "this password must not be stored"
        yield* Effect.flip(signIn("ghost@example.com", undefined, Redacted.make(secret)))
        const sql = yield* SqlClient.SqlClient
        const rows = (yield* sql<{ data: string }>`
          SELECT data::text AS data FROM audit_events WHERE entity_type = 'StaffAccount' AND entity_id = 'unknown'
        `).map((row) => row.data)
        expect(rows.some((data) => data.includes("ghost@example.com"))).toBe(true)
        expect(rows.some((data) => data.includes(secret))).toBe(false)
      }))
  })
})
