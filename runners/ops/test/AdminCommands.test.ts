/**
 * The migrate and create-admin commands on an embedded PostgreSQL that
 * starts without migrations.
 */
import { NodeFileSystem } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { StaffConfig } from "@pw/staff/StaffConfig"
import { Effect, Layer, Redacted } from "effect"
import { readdirSync } from "node:fs"
import * as Database from "@pw/db/Database"
import * as CreateAdmin from "../src/commands/CreateAdmin.ts"
import * as Migrate from "../src/commands/Migrate.ts"
import * as EmptyDatabase from "./EmptyDatabase.ts"

const migrationFiles = readdirSync(Database.defaultMigrationsDirectory).filter((name) => name.endsWith(".sql")).sort()

const TestLayer = Layer.mergeAll(EmptyDatabase.layer, NodeFileSystem.layer, Layer.orDie(StaffConfig.layer))

layer(TestLayer, { excludeTestServices: true })("AdminCommands", (it) => {
  it.effect("migrate applies then finds none", () =>
    Effect.gen(function*() {
      const first = yield* Migrate.migrate()
      expect(first).toEqual(migrationFiles)
      const second = yield* Migrate.migrate()
      expect(second).toEqual([])
    }))

  it.effect("create-admin creates first admin", () =>
    Effect.gen(function*() {
      const created = yield* CreateAdmin.createAdmin({ email: "admin@example.com", name: "Avery Admin" })
      expect(created.account.email).toBe("admin@example.com")
      expect(created.account.role).toBe("admin")
      expect(Redacted.value(created.password).length).toBeGreaterThan(0)

      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<{ readonly count: number }>`SELECT count(*)::int AS count FROM staff_accounts WHERE role = 'admin'`
      expect(rows[0]?.count).toBe(1)
    }))

  it.effect("create-admin rejects second admin", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(CreateAdmin.createAdmin({ email: "second@example.com", name: "Sam Second" }))
      expect(error._tag).toBe("AdminExists")
    }))

  it.effect("create-admin rejects invalid email", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(CreateAdmin.createAdmin({ email: "not-an-address", name: "Ina Valid" }))
      expect(error._tag).toBe("InvalidEmail")
    }))
})
