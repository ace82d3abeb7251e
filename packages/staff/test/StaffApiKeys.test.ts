/**
 * Staff API keys against a real PostgreSQL: create, verify, list, revoke,
 * and who may manage them.
 */
import { describe, expect, layer } from "@effect/vitest"
import * as AuditLog from "@pw/db/AuditLog"
import { Effect, Option, Redacted } from "effect"
import * as StaffAccounts from "../src/StaffAccounts.ts"
import * as StaffApiKeys from "../src/StaffApiKeys.ts"
import { layer as staffLayer, seedAccount } from "./support/StaffFixtures.ts"

layer(staffLayer)("StaffApiKeys", (it) => {
  describe("create and verify", () => {
    it.effect("key verifies as its account", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("key-admin", "admin", true)
        const reviewer = yield* seedAccount("key-owner", "reviewer", false)
        const created = yield* StaffApiKeys.create(reviewer.id, "nightly export", admin.id)
        expect(Redacted.value(created.key)).toMatch(/^psk_[A-Za-z0-9_-]{43}$/)
        const holder = yield* StaffApiKeys.verify(created.key)
        expect(holder).toEqual(Option.some({ keyId: created.keyId, accountId: reviewer.id, name: "key-owner", role: "reviewer" }))
      }))

    it.effect("unknown key verifies as none", () =>
      Effect.gen(function*() {
        expect(Option.isNone(yield* StaffApiKeys.verify(Redacted.make("psk_unknown")))).toBe(true)
        expect(Option.isNone(yield* StaffApiKeys.verify(Redacted.make("")))).toBe(true)
      }))

    it.effect("list shows last use", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("key-admin-2", "admin", true)
        const created = yield* StaffApiKeys.create(admin.id, "deploy", admin.id)
        const before = yield* StaffApiKeys.list(admin.id)
        expect(before.map((key) => Option.isNone(key.lastUsedAt))).toEqual([true])
        yield* StaffApiKeys.verify(created.key)
        const after = yield* StaffApiKeys.list(admin.id)
        expect(after.map((key) => ({ id: key.id, label: key.label, used: Option.isSome(key.lastUsedAt) }))).toEqual([
          { id: created.keyId, label: "deploy", used: true }
        ])
      }))

    it.effect("reviewer creates own key", () =>
      Effect.gen(function*() {
        const reviewer = yield* seedAccount("key-reviewer", "reviewer", false)
        const created = yield* StaffApiKeys.create(reviewer.id, "mine", reviewer.id)
        expect(Option.isSome(yield* StaffApiKeys.verify(created.key))).toBe(true)
      }))

    it.effect("reviewer may not key others", () =>
      Effect.gen(function*() {
        const reviewer = yield* seedAccount("key-reviewer-2", "reviewer", false)
        const other = yield* seedAccount("key-other", "reviewer", false)
        const error = yield* Effect.flip(StaffApiKeys.create(other.id, "theirs", reviewer.id))
        expect(error._tag).toBe("NotPermitted")
      }))

    it.effect("rejects an empty label", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("key-admin-3", "admin", true)
        const error = yield* Effect.flip(StaffApiKeys.create(admin.id, "  ", admin.id))
        expect(error._tag).toBe("InvalidLabel")
      }))
  })

  describe("revoke", () => {
    it.effect("revoked key verifies as none", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("key-admin-4", "admin", true)
        const created = yield* StaffApiKeys.create(admin.id, "old", admin.id)
        const revoked = yield* StaffApiKeys.revoke(admin.id, created.keyId, admin.id)
        expect(Option.isSome(revoked.revokedAt)).toBe(true)
        expect(Option.isNone(yield* StaffApiKeys.verify(created.key))).toBe(true)
        const audit = (yield* AuditLog.list("StaffAccount", admin.id)).map((entry) => entry.event)
        expect(audit).toEqual(["staff.api_key_created", "staff.api_key_revoked"])
      }))

    it.effect("unknown key id fails", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("key-admin-5", "admin", true)
        const error = yield* Effect.flip(StaffApiKeys.revoke(admin.id, "sak_000000000000000000000000", admin.id))
        expect(error._tag).toBe("ApiKeyNotFound")
      }))

    it.effect("disabled account's key verifies as none", () =>
      Effect.gen(function*() {
        const admin = yield* seedAccount("key-admin-6", "admin", true)
        const reviewer = yield* seedAccount("key-leaver", "reviewer", false)
        const created = yield* StaffApiKeys.create(reviewer.id, "bot", admin.id)
        yield* StaffAccounts.setDisabled(reviewer.id, true, admin.id)
        expect(Option.isNone(yield* StaffApiKeys.verify(created.key))).toBe(true)
      }))
  })
})
