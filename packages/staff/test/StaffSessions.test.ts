/**
 * Staff sessions against a real PostgreSQL, with Effect's TestClock for the
 * idle timeout (30 minutes) and the maximum age (12 hours). The cases share
 * one TestClock, so each moves it relative to where it is.
 */
import { describe, expect, layer } from "@effect/vitest"
import { Duration, Effect, Redacted, TestClock } from "effect"
import * as StaffSessions from "../src/StaffSessions.ts"
import { layer as staffLayer, seedAccount } from "./support/StaffFixtures.ts"

const newSession = (name: string) =>
  Effect.gen(function*() {
    const account = yield* seedAccount(name, "reviewer", false)
    const session = yield* StaffSessions.create(account.id, "reviewer")
    return { account, session }
  })

const reasonOf = (token: Redacted.Redacted<string>) =>
  Effect.map(Effect.flip(StaffSessions.validate(token)), (error) => error.reason)

layer(staffLayer)("StaffSessions", (it) => {
  describe("validate", () => {
    it.effect("returns the new session", () =>
      Effect.gen(function*() {
        const { account, session } = yield* newSession("session-new")
        const valid = yield* StaffSessions.validate(session.token)
        expect(valid.accountId).toBe(account.id)
        expect(valid.role).toBe("reviewer")
        expect(valid.expiresAt.getTime() - valid.createdAt.getTime()).toBe(Duration.toMillis("12 hours"))
      }))

    it.effect("rejects an unknown token", () =>
      Effect.gen(function*() {
        expect(yield* reasonOf(Redacted.make("no such token"))).toBe("unknown")
      }))

    it.effect("expires after 30 idle minutes", () =>
      Effect.gen(function*() {
        const { session } = yield* newSession("session-idle")
        yield* TestClock.adjust("30 minutes")
        expect(yield* reasonOf(session.token)).toBe("idle")
      }))

    it.effect("activity keeps it alive", () =>
      Effect.gen(function*() {
        const { session } = yield* newSession("session-active")
        yield* TestClock.adjust("29 minutes")
        yield* StaffSessions.validate(session.token)
        yield* TestClock.adjust("29 minutes")
        const valid = yield* StaffSessions.validate(session.token)
        expect(valid.sessionId).toBe(session.sessionId)
      }))

    it.effect("expires after 12 hours", () =>
      Effect.gen(function*() {
        const { session } = yield* newSession("session-absolute")
        for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
          yield* TestClock.adjust("20 minutes")
          yield* StaffSessions.validate(session.token)
        }
        yield* TestClock.adjust("20 minutes")
        expect(yield* reasonOf(session.token)).toBe("expired")
      }))
  })

  describe("revoke", () => {
    it.effect("sign-out ends the session", () =>
      Effect.gen(function*() {
        const { session } = yield* newSession("session-revoked")
        yield* StaffSessions.revoke(session.token)
        expect(yield* reasonOf(session.token)).toBe("revoked")
      }))

    it.effect("revokeAll keeps the named session", () =>
      Effect.gen(function*() {
        const { account, session } = yield* newSession("session-keep")
        const other = yield* StaffSessions.create(account.id, "reviewer")
        const ended = yield* StaffSessions.revokeAll(account.id, session.token)
        expect(ended).toBe(1)
        expect(yield* reasonOf(other.token)).toBe("revoked")
        expect((yield* StaffSessions.validate(session.token)).accountId).toBe(account.id)
      }))
  })

  describe("csrf", () => {
    it.effect("accepts the session's token", () =>
      Effect.gen(function*() {
        const { session } = yield* newSession("csrf-ok")
        const valid = yield* StaffSessions.validate(session.token)
        yield* StaffSessions.checkCsrf(valid, Redacted.value(session.csrfToken))
      }))

    it.effect("rejects another token", () =>
      Effect.gen(function*() {
        const { session } = yield* newSession("csrf-wrong")
        const other = yield* newSession("csrf-other")
        const valid = yield* StaffSessions.validate(session.token)
        const error = yield* Effect.flip(StaffSessions.checkCsrf(valid, Redacted.value(other.session.csrfToken)))
        expect(error._tag).toBe("CsrfInvalid")
      }))

    it.effect("rejects a missing token", () =>
      Effect.gen(function*() {
        const { session } = yield* newSession("csrf-missing")
        const valid = yield* StaffSessions.validate(session.token)
        const error = yield* Effect.flip(StaffSessions.checkCsrf(valid, undefined))
        expect(error._tag).toBe("CsrfInvalid")
      }))
  })

  describe("cookie", () => {
    it.effect("has the console's attributes", () =>
      Effect.gen(function*() {
        const options = yield* StaffSessions.cookieOptions
        expect(StaffSessions.cookieName).toBe("pw_staff_session")
        expect({ httpOnly: options.httpOnly, sameSite: options.sameSite, path: options.path, secure: options.secure }).toEqual({
          httpOnly: true,
          sameSite: "strict",
          path: "/admin",
          secure: true
        })
      }))
  })
})
