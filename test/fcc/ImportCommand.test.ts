/**
 * The operator's import command as a process: `npm run fcc-import` against a
 * PostgreSQL given by DATABASE_URL, which it migrates, then a bad file.
 */
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as CommandProcess from "../support/CommandProcess.ts"
import { type ExternalDatabase, startDatabase } from "../support/ExternalDatabase.ts"

const sample = join(CommandProcess.repositoryRoot, "packages/fcc-data/test/data/form499/filer-db-sample.xlsx")

let folder: string
let database: ExternalDatabase

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "pw-fcc-command-"))
  // PostgreSQL runs as its own user when the tests run as root.
  await chmod(folder, 0o755)
  database = await startDatabase(join(folder, "postgres"))
})

afterAll(async () => {
  await database?.close()
  await rm(folder, { recursive: true, force: true })
})

const runCommand = (...args: ReadonlyArray<string>) =>
  CommandProcess.runCommand("packages/fcc-data/src/ImportCommand.ts", args, { url: database.url, dataDirectory: folder })

const storedFilers = async () => Number((await database.client.query("SELECT count(*) AS count FROM form499_filers")).rows[0].count)

describe("npm run fcc-import", () => {
  it("imports the sample export", async () => {
    const run = await runCommand("form499", sample, "--as-of", "2026-11-30")
    expect({ code: run.code, stored: await storedFilers(), printed: run.stdout.includes("\"records\": 3") }).toEqual({
      code: 0,
      stored: 3,
      printed: true
    })
  })

  it("names the file and row of a bad header", async () => {
    const bad = join(folder, "no-frn.csv")
    await writeFile(bad, "Business Name,Last Updated\nAlpha Voice LLC,2026-01-05\n")
    const run = await runCommand("rmd", bad)
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(bad)
    expect(run.stderr).toContain("row 1")
  })

  it("rejects an unknown data set", async () => {
    const run = await runCommand("fcc-everything", sample)
    expect({ code: run.code, usage: run.stderr.includes("form499, rmd or cores") }).toEqual({ code: 2, usage: true })
  })

  it("keeps importing past an unreadable page", async () => {
    const other = join(folder, "frn-0091000009.html")
    await writeFile(other, "<html><head><title>Sign in</title></head><body></body></html>")
    const page = join(CommandProcess.repositoryRoot, "packages/fcc-data/samples/cores/frn-0003768165.html")
    const run = await runCommand("cores", other, page, "--as-of", "2026-11-30")
    const stored = await database.client.query("SELECT frn FROM cores_registrations")
    expect(run.code).toBe(1)
    expect(stored.rows.map((row: { frn: string }) => row.frn)).toEqual(["0003768165"])
  })
})
