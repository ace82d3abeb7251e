/**
 * The sign-in lockout against a real PostgreSQL: five failures lock an
 * e-mail or a client address for 15 minutes of Effect's TestClock.
 */
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Redacted, TestClock } from "effect"
import * as StaffSignIn from "../src/StaffSignIn.ts"
import { layer as staffLayer, password, seedAccount } from "./support/StaffFixtures.ts"

const wrong = Redacted.make("not the password at all")

const attempt = (email: string, client: string, presented: Redacted.Redacted<string>) =>
  StaffSignIn.signIn({ email, password: presented, client })

const failTimes = (count: number, email: string, client: string) =>
  Effect.forEach(Array.from({ length: count }), () => Effect.flip(attempt(email, client, wrong)))

layer(staffLayer)("SignInLockout", (it) => {
  describe("per account", () => {
    it.effect("five failures lock the account", () =>
      Effect.gen(function*() {
        const reviewer = yield* seedAccount("locked", "reviewer", false)
        const failures = yield* failTimes(5, reviewer.email, "192.0.2.21")
        expect(failures.map((error) => error._tag)).toEqual(Array(5).fill("InvalidCredentials"))
        const sixth = yield* Effect.flip(attempt(reviewer.email, "192.0.2.22", password))
        expect(sixth._tag).toBe("TooManyAttempts")
        expect(sixth._tag === "TooManyAttempts" ? sixth.retryAfterSeconds : 0).toBe(900)
      }))

    it.effect("lock lifts after the window", () =>
      Effect.gen(function*() {
        const reviewer = yield* seedAccount("unlocked-later", "reviewer", false)
        yield* failTimes(5, reviewer.email, "192.0.2.23")
        yield* TestClock.adjust("14 minutes")
        const stillLocked = yield* Effect.flip(attempt(reviewer.email, "192.0.2.23", password))
        expect(stillLocked._tag === "TooManyAttempts" ? stillLocked.retryAfterSeconds : 0).toBe(60)
        yield* TestClock.adjust("1 minute")
        const signedIn = yield* attempt(reviewer.email, "192.0.2.23", password)
        expect(signedIn.account.id).toBe(reviewer.id)
      }))

    it.effect("success resets the account count", () =>
      Effect.gen(function*() {
        const reviewer = yield* seedAccount("reset-count", "reviewer", false)
        yield* failTimes(4, reviewer.email, "192.0.2.24")
        yield* attempt(reviewer.email, "192.0.2.25", password)
        yield* failTimes(4, reviewer.email, "192.0.2.26")
        const signedIn = yield* attempt(reviewer.email, "192.0.2.27", password)
        expect(signedIn.account.id).toBe(reviewer.id)
      }))

    it.effect("unknown e-mail locks too", () =>
      Effect.gen(function*() {
        yield* failTimes(5, "ghost-lock@example.com", "192.0.2.28")
        const sixth = yield* Effect.flip(attempt("ghost-lock@example.com", "192.0.2.29", wrong))
        expect(sixth._tag).toBe("TooManyAttempts")
      }))
  })

  describe("per client address", () => {
    it.effect("five failures lock the address", () =>
      Effect.gen(function*() {
        const reviewer = yield* seedAccount("other-victim", "reviewer", false)
        yield* Effect.forEach([1, 2, 3, 4, 5], (n) => Effect.flip(attempt(`spray-${n}@example.com`, "192.0.2.30", wrong)))
        const blocked = yield* Effect.flip(attempt(reviewer.email, "192.0.2.30", password))
        expect(blocked._tag).toBe("TooManyAttempts")
        const elsewhere = yield* attempt(reviewer.email, "192.0.2.31", password)
        expect(elsewhere.account.id).toBe(reviewer.id)
      }))
  })
})
