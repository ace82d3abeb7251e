/**
 * `npm run staff` as a process against a PostgreSQL given by DATABASE_URL,
 * which it migrates: the first admin, a second refused, a reset.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { chmod, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as CommandProcess from "../../../test/support/CommandProcess.ts"
import { type ExternalDatabase, startDatabase } from "../../../test/support/ExternalDatabase.ts"


let folder: string
let database: ExternalDatabase

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "pw-staff-command-"))
  // PostgreSQL runs as its own user when the tests run as root.
  await chmod(folder, 0o755)
  database = await startDatabase(join(folder, "postgres"))
})

afterAll(async () => {
  await database?.close()
  await rm(folder, { recursive: true, force: true })
})

const runCommand = (...args: ReadonlyArray<string>) =>
  CommandProcess.runCommand("packages/staff/src/StaffCommand.ts", args, { url: database.url, dataDirectory: folder })

const admins = async () =>
  (await database.client.query<{ email: string; must_change_password: boolean }>(
    "SELECT email, must_change_password FROM staff_accounts WHERE role = 'admin' ORDER BY email"
  )).rows

describe("npm run staff", () => {
  it("creates the first admin", async () => {
    const run = await runCommand("create-admin", "--email", "Ada@Example.com", "--name", "Ada Admin")
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/Password: [A-Za-z0-9_-]{24}\n/)
    expect(run.stdout).toMatch(/TOTP secret \(base32\): [A-Z2-7]{32}\n/)
    expect(run.stdout).toContain("otpauth://totp/Performance%20West:ada%40example.com?secret=")
    expect(await admins()).toEqual([{ email: "ada@example.com", must_change_password: false }])
  })

  it("refuses a second admin", async () => {
    const run = await runCommand("create-admin", "--email", "bob@example.com", "--name", "Bob Admin")
    expect(run.code).toBe(1)
    expect(run.stderr).toContain("an admin account exists already")
    expect((await admins()).length).toBe(1)
  })

  it("rejects an invalid e-mail", async () => {
    const run = await runCommand("create-admin", "--email", "ada at example", "--name", "Ada")
    expect(run.code).toBe(1)
    expect(run.stderr).toContain("is not a valid e-mail address")
  })

  it("resets a password", async () => {
    const run = await runCommand("reset-password", "--email", "ada@example.com", "--new-totp")
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/Temporary password: [A-Za-z0-9_-]{24}\n/)
    expect(run.stdout).toContain("otpauth://totp/")
    expect(await admins()).toEqual([{ email: "ada@example.com", must_change_password: true }])
  })

  it("reset names an unknown e-mail", async () => {
    const run = await runCommand("reset-password", "--email", "nobody@example.com")
    expect(run.code).toBe(1)
    expect(run.stderr).toContain("nobody@example.com")
  })

  it("rejects an unknown command", async () => {
    const run = await runCommand("delete-everyone", "--email", "ada@example.com")
    expect(run.code).toBe(2)
    expect(run.stderr).toContain("create-admin or reset-password")
  })
})
