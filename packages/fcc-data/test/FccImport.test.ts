import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { Frn } from "@pw/domain/Carrier"
import { Context, Effect, Layer, Schema } from "effect"
import { readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as TestDatabase from "../../../test/support/TestDatabase.ts"
import * as FccImport from "../src/FccImport.ts"

const data = fileURLToPath(new URL("./data/", import.meta.url))
const sampleXlsx = join(data, "form499/filer-db-sample.xlsx")
const header = "Business Name,FRN,Last Updated,Last Recertified"

/** The scratch folder for the files each case writes. */
class Scratch extends Context.Tag("test/Scratch")<Scratch, string>() {}

const written = (name: string, content: string | Uint8Array) =>
  Effect.gen(function*() {
    const folder = yield* Scratch
    const path = join(folder, name)
    yield* Effect.promise(() => writeFile(path, content))
    return path
  })

const count = (table: "form499_filers" | "rmd_filings") =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.map(sql<{ count: string }>`SELECT count(*) AS count FROM ${sql(table)}`, (rows) => Number(rows[0]?.count)))

layer(Layer.mergeAll(TestDatabase.layer, Layer.scoped(Scratch, TestDatabase.temporaryDirectory("pw-fcc-import-"))).pipe(Layer.orDie))("FccImport", (it) => {
  describe("Form 499", () => {
    it.effect("stores the three sample filers", () =>
      Effect.gen(function*() {
        const summary = yield* FccImport.importForm499(sampleXlsx, "2026-11-01")
        expect({ records: summary.records, rejected: summary.rejectedCount, stored: yield* count("form499_filers") }).toEqual({
          records: 3,
          rejected: 0,
          stored: 3
        })
      }))

    it.effect("skips the same file twice", () =>
      Effect.gen(function*() {
        yield* FccImport.importForm499(sampleXlsx, "2026-11-02")
        const again = yield* FccImport.importForm499(sampleXlsx, "2026-11-02")
        expect(again.unchanged).toBe(true)
      }))

    it.effect("keeps the data set on a truncated file", () =>
      Effect.gen(function*() {
        yield* FccImport.importForm499(sampleXlsx, "2026-11-03")
        const bytes = yield* Effect.promise(() => readFile(sampleXlsx))
        const truncated = yield* written("truncated.xlsx", bytes.subarray(0, Math.floor(bytes.length / 2)))
        const failure = yield* Effect.flip(FccImport.importForm499(truncated, "2026-11-04"))
        expect({ tag: failure._tag, file: "file" in failure ? failure.file : "", stored: yield* count("form499_filers") }).toEqual({
          tag: "FileUnreadable",
          file: truncated,
          stored: 3
        })
      }))

    it.effect("keeps the as-of date on a failed import", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* FccImport.importForm499(sampleXlsx, "2026-11-05")
        const broken = yield* written("broken.xlsx", "not a workbook")
        yield* Effect.either(FccImport.importForm499(broken, "2026-11-06"))
        const rows = yield* sql<{ as_of: string }>`SELECT as_of::text AS as_of FROM fcc_datasets WHERE dataset = 'form499'`
        expect(rows[0]?.as_of).toBe("2026-11-05")
      }))
  })

  describe("Robocall Mitigation Database", () => {
    it.effect("reports a bad row by number", () =>
      Effect.gen(function*() {
        const file = yield* written("bad-row.csv", [header, "Alpha Voice LLC,0091000010,2026-01-05,", "Beta Voice LLC,12345,2026-01-06,"].join("\n"))
        const summary = yield* FccImport.importRmd(file, "2026-11-01")
        expect({ records: summary.records, rows: summary.rejections.map((rejection) => rejection.row) }).toEqual({ records: 1, rows: [3] })
      }))

    it.effect("replaces the previous data set", () =>
      Effect.gen(function*() {
        const two = yield* written("two.csv", [header, "Alpha Voice LLC,0091000010,2026-01-05,", "Gamma Voice LLC,0091000011,2026-01-06,"].join("\n"))
        const one = yield* written("one.csv", [header, "Delta Voice LLC,0091000012,2026-01-07,"].join("\n"))
        yield* FccImport.importRmd(two, "2026-11-02")
        yield* FccImport.importRmd(one, "2026-11-03")
        expect(yield* count("rmd_filings")).toBe(1)
      }))

    it.effect("keeps the data set without an FRN column", () =>
      Effect.gen(function*() {
        const good = yield* written("good.csv", [header, "Alpha Voice LLC,0091000010,2026-01-05,", "Gamma Voice LLC,0091000011,2026-01-06,"].join("\n"))
        const noFrn = yield* written("no-frn.csv", ["Business Name,Last Updated", "Alpha Voice LLC,2026-01-05"].join("\n"))
        yield* FccImport.importRmd(good, "2026-11-04")
        const failure = yield* Effect.flip(FccImport.importRmd(noFrn, "2026-11-05"))
        expect({ row: "row" in failure ? failure.row : 0, names: failure.message.includes("FRN"), stored: yield* count("rmd_filings") }).toEqual({
          row: 1,
          names: true,
          stored: 2
        })
      }))
  })

  describe("CORES", () => {
    it.effect("stores the no-record page under its file's FRN", () =>
      Effect.gen(function*() {
        const sql = yield* SqlClient.SqlClient
        yield* FccImport.importCoresPage(join(data, "cores/frn-0000000000-no-record.html"), "2026-11-01")
        const rows = yield* sql<{ found: boolean }>`SELECT found FROM cores_registrations WHERE frn = '0000000000'`
        expect(rows[0]?.found).toBe(false)
      }))

    it.effect("refuses a page of another kind", () =>
      Effect.gen(function*() {
        const other = yield* written("frn-0003768165.html", "<html><head><title>Sign in</title></head><body><form></form></body></html>")
        const failure = yield* Effect.flip(FccImport.importCoresPage(other, "2026-11-02"))
        expect(failure._tag).toBe("FileUnreadable")
      }))

    it.effect("refuses a page under another FRN", () =>
      Effect.gen(function*() {
        const failure = yield* Effect.flip(
          FccImport.importCoresPage(join(data, "cores/frn-0003768165.html"), "2026-11-03", Schema.decodeUnknownSync(Frn)("0018538512"))
        )
        expect(failure.message).toContain("0003768165")
      }))
  })
})
