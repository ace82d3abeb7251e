import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import * as PasswordHash from "../src/PasswordHash.ts"

const password = Redacted.make("correct horse battery staple")

describe("PasswordHash", () => {
  it.effect("verifies the right password", () =>
    Effect.gen(function*() {
      const stored = yield* PasswordHash.hash(password)
      expect(yield* PasswordHash.verify(password, stored)).toBe(true)
    }))

  it.effect("rejects a wrong password", () =>
    Effect.gen(function*() {
      const stored = yield* PasswordHash.hash(password)
      expect(yield* PasswordHash.verify(Redacted.make("correct horse battery stapler"), stored)).toBe(false)
    }))

  it.effect("stores scrypt parameters and salt", () =>
    Effect.gen(function*() {
      const stored = yield* PasswordHash.hash(password)
      const [scheme, n, r, p, salt, key] = stored.split("$")
      expect({ scheme, n, r, p }).toEqual({ scheme: "scrypt", n: "32768", r: "8", p: "1" })
      expect(Buffer.from(salt ?? "", "base64url").length).toBe(32)
      expect(Buffer.from(key ?? "", "base64url").length).toBe(32)
    }))

  it.effect("salts every hash", () =>
    Effect.gen(function*() {
      const first = yield* PasswordHash.hash(password)
      const second = yield* PasswordHash.hash(password)
      expect(first).not.toBe(second)
    }))

  it.effect("rejects an 11-character password", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(PasswordHash.hash(Redacted.make("abcdefghijk")))
      expect(error._tag).toBe("PasswordRejected")
      expect(error.message).toContain("at least 12 characters")
    }))

  it.effect("decoy hash matches nothing", () =>
    Effect.gen(function*() {
      expect(yield* PasswordHash.verify(password, PasswordHash.decoyHash)).toBe(false)
    }))

  it.effect("generated passwords are valid", () =>
    Effect.gen(function*() {
      const generated = PasswordHash.generate()
      const stored = yield* PasswordHash.hash(generated)
      expect(yield* PasswordHash.verify(generated, stored)).toBe(true)
    }))
})
