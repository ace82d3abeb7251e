/**
 * A migrated embedded PostgreSQL with the staff settings, and accounts
 * inserted straight into the store for tests that need a given role, password
 * or TOTP secret.
 */
import { Clock, Effect, Layer, Redacted } from "effect"
import * as TestDatabase from "../../../../test/support/TestDatabase.ts"
import * as PasswordHash from "../../src/PasswordHash.ts"
import * as StaffAccountStore from "../../src/StaffAccountStore.ts"
import { StaffConfig } from "../../src/StaffConfig.ts"
import type { StaffRole } from "../../src/StaffRole.ts"
import * as Totp from "../../src/Totp.ts"

/** The database and StaffConfig with its defaults. */
export const layer = Layer.mergeAll(TestDatabase.layer, StaffConfig.layer).pipe(Layer.orDie)

/** The password every seeded account has. */
export const password = Redacted.make("correct horse battery staple")

/** A seeded account with its TOTP secret, or null without one. */
export interface SeededAccount {
  readonly id: string
  readonly email: string
  readonly totpSecret: string | null
}

/** Inserts an account `<name>@example.com` with {@link password}, enrolled in TOTP when `totp` is true. */
export const seedAccount = (name: string, role: StaffRole, totp: boolean) =>
  Effect.gen(function*() {
    const passwordHash = yield* PasswordHash.hash(password)
    const totpSecret = totp ? Totp.generateSecret() : null
    const now = yield* Clock.currentTimeMillis
    const row = yield* StaffAccountStore.insert(
      { email: `${name}@example.com`, name, role, passwordHash, totpSecret, mustChangePassword: false },
      new Date(now)
    )
    return { id: row.id, email: row.email, totpSecret } satisfies SeededAccount
  }).pipe(Effect.orDie)

/** The TOTP code of `account` at the current Clock time, shifted by `steps` time steps. */
export const codeNow = (account: SeededAccount, steps = 0) =>
  Effect.map(Clock.currentTimeMillis, (now) => Totp.codeAt(account.totpSecret ?? "", Totp.stepAt(now) + steps) ?? "")
