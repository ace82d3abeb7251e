import { readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Option, Stream } from "effect"
import * as Form499Reader from "../src/Form499Reader.ts"
import type { ReadResult, RowRejected } from "../src/ReadResult.ts"
import type { Form499Filer } from "../src/Records.ts"
import { openFirstSheet } from "../src/WorkbookRows.ts"
import { writeForm499Workbook } from "./support/Form499Workbook.ts"
import { tempDir } from "./support/TempDir.ts"

const sample = fileURLToPath(new URL("data/form499/filer-db-sample.xlsx", import.meta.url))

const readAll = (path: string) =>
  Effect.scoped(Effect.gen(function*() {
    const opened = yield* Form499Reader.open(path)
    const results = Chunk.toReadonlyArray(yield* Stream.runCollect(opened.rows))
    return { ignoredColumns: opened.ignoredColumns, results }
  }))

const recordsOf = (results: ReadonlyArray<ReadResult<Form499Filer>>) =>
  results.flatMap((result) => (result._tag === "RecordRead" ? [result] : []))

const rejectionsOf = (results: ReadonlyArray<ReadResult<Form499Filer>>): ReadonlyArray<RowRejected> =>
  results.flatMap((result) => (result._tag === "RowRejected" ? [result.rejection] : []))

const filerAt = (results: ReadonlyArray<ReadResult<Form499Filer>>, row: number): Form499Filer => {
  const found = recordsOf(results).find((result) => result.row === row)
  if (found === undefined) throw new Error(`no record at row ${row}`)
  return found.record
}

const truncatedCopy = (directory: string, source: string, fraction: number) =>
  Effect.promise(async () => {
    const bytes = await readFile(source)
    const path = join(directory, `truncated-${fraction}.xlsx`)
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length * fraction)))
    return path
  })

describe("Form499Reader", () => {
  it.effect("sample yields three filers", () =>
    Effect.gen(function*() {
      const { results } = yield* readAll(sample)
      assert.deepStrictEqual(recordsOf(results).map((result) => result.row), [2, 4, 5])
      assert.strictEqual(rejectionsOf(results).length, 0)
    }))

  it.effect("sample Otelco row values", () =>
    Effect.gen(function*() {
      const { results } = yield* readAll(sample)
      const otelco = filerAt(results, 2)
      assert.strictEqual(otelco.filerId, "801003")
      assert.strictEqual(otelco.legalName, "Otelco Telephone LLC")
      assert.strictEqual(otelco.frn, "0018538512")
      assert.deepStrictEqual(otelco.lastFiling, Option.some("2025-04-01"))
      assert.strictEqual(otelco.usfContributor, true)
      assert.deepStrictEqual(otelco.principalCommType, Option.some("Incumbent LEC"))
      assert.deepStrictEqual(otelco.jurisdictions, ["Alabama"])
      assert.deepStrictEqual(otelco.dcAgent, Option.some("Cogency Global Inc."))
    }))

  it.effect("sample other rows", () =>
    Effect.gen(function*() {
      const { results } = yield* readAll(sample)
      const dubois = filerAt(results, 4)
      const cingular = filerAt(results, 5)
      assert.strictEqual(dubois.filerId, "802131")
      assert.strictEqual(dubois.frn, "0001629781")
      assert.deepStrictEqual(dubois.jurisdictions, ["Wyoming"])
      assert.strictEqual(cingular.filerId, "821002")
      assert.strictEqual(cingular.frn, "0003766532")
      assert.strictEqual(cingular.jurisdictions.length, 53)
      assert.isFalse(cingular.jurisdictions.includes("Guam"))
    }))

  it.effect("sample lists no ignored columns", () =>
    Effect.gen(function*() {
      const { ignoredColumns } = yield* readAll(sample)
      assert.deepStrictEqual(ignoredColumns, [])
    }))

  it.scoped("generated header matches sample", () =>
    Effect.gen(function*() {
      const directory = yield* tempDir
      const path = join(directory, "generated.xlsx")
      yield* writeForm499Workbook(path, { rows: 1 })
      const headerOf = (file: string) =>
        openFirstSheet(file).pipe(Effect.map((sheet) => Option.map(sheet.first, (row) => [...row.cells.values()])), Effect.scoped)
      const generated = yield* headerOf(path)
      const real = yield* headerOf(sample)
      assert.strictEqual(Option.getOrThrow(real).length, 122)
      assert.deepStrictEqual(generated, real)
    }))

  it.scoped("header-only file yields nothing", () =>
    Effect.gen(function*() {
      const directory = yield* tempDir
      const path = join(directory, "header-only.xlsx")
      yield* writeForm499Workbook(path, { rows: 0 })
      const { results } = yield* readAll(path)
      assert.strictEqual(results.length, 0)
    }))

  it.scoped("missing required columns fail open", () =>
    Effect.gen(function*() {
      const directory = yield* tempDir
      const path = join(directory, "missing.xlsx")
      yield* writeForm499Workbook(path, { rows: 2, omitColumns: ["CORESID", "LastFiling"] })
      const error = yield* Effect.flip(readAll(path))
      assert.strictEqual(error.file, path)
      assert.strictEqual(error.row, 1)
      assert.include(error.message, "LastFiling, CORESID")
    }))

  it.scoped("unknown column is ignored", () =>
    Effect.gen(function*() {
      const directory = yield* tempDir
      const path = join(directory, "extra.xlsx")
      yield* writeForm499Workbook(path, { rows: 2, extraColumns: ["Internal_Reference"] })
      const { ignoredColumns, results } = yield* readAll(path)
      assert.deepStrictEqual(ignoredColumns, ["Internal_Reference"])
      assert.strictEqual(recordsOf(results).length, 2)
    }))

  it.scoped("bad rows rejected, good kept", () =>
    Effect.gen(function*() {
      const directory = yield* tempDir
      const path = join(directory, "bad.xlsx")
      const overrides = new Map([
        [1, { CORESID: "12345" }],
        [2, { LastFiling: "2/30/2025" }],
        [3, { USF_Contributor_1: "Maybe" }],
        [4, { USF_Contributor_1: "yes" }],
        [5, { Alabama: "sometimes" }]
      ])
      yield* writeForm499Workbook(path, { rows: 7, overrides })
      const { results } = yield* readAll(path)
      const rejections = rejectionsOf(results)
      assert.deepStrictEqual(rejections.map((rejection) => [rejection.row, rejection.column, rejection.value]), [
        [3, "CORESID", "12345"],
        [4, "LastFiling", "2/30/2025"],
        [5, "USF_Contributor_1", "Maybe"],
        [7, "Alabama", "sometimes"]
      ])
      assert.include(rejections[1]?.message ?? "", "not a calendar date")
      assert.deepStrictEqual(recordsOf(results).map((result) => result.row), [2, 6, 8])
      assert.strictEqual(filerAt(results, 6).usfContributor, true)
    }))

  it.scoped("numeric ids padded with zeros", () =>
    Effect.gen(function*() {
      const directory = yield* tempDir
      const path = join(directory, "numeric.xlsx")
      yield* writeForm499Workbook(path, { rows: 1, overrides: new Map([[0, { CORESID: 18538512, Filer_499_ID: 801003 }]]) })
      const { results } = yield* readAll(path)
      const filer = filerAt(results, 2)
      assert.strictEqual(filer.frn, "0018538512")
      assert.strictEqual(filer.filerId, "801003")
    }))

  it.scoped("Excel date cell read", () =>
    Effect.gen(function*() {
      const directory = yield* tempDir
      const path = join(directory, "date.xlsx")
      const overrides = new Map([[0, { LastFiling: new Date(Date.UTC(2024, 5, 30)) }], [1, { LastFiling: 45383 }]])
      yield* writeForm499Workbook(path, { rows: 2, overrides })
      const { results } = yield* readAll(path)
      assert.deepStrictEqual(filerAt(results, 2).lastFiling, Option.some("2024-06-30"))
      assert.deepStrictEqual(filerAt(results, 3).lastFiling, Option.some("2024-04-01"))
    }))

  it.scoped("optional fields joined", () =>
    Effect.gen(function*() {
      const directory = yield* tempDir
      const path = join(directory, "joined.xlsx")
      const overrides = new Map([[0, { DC_Agent1: "Agent Contact A", DC_Agent_Address2: "Suite 9", HQ_Address2: "Floor 2", LastFiling: undefined }]])
      yield* writeForm499Workbook(path, { rows: 1, overrides })
      const { results } = yield* readAll(path)
      const filer = filerAt(results, 2)
      assert.deepStrictEqual(filer.dcAgent, Option.some("Agent Contact A, Example Agent Services LLC"))
      assert.deepStrictEqual(filer.dcAgentAddress, Option.some("100 Sample Avenue NW, Suite 9, Washington, DC 20000"))
      assert.isTrue(Option.exists(filer.hqAddress, (address) => address.endsWith(" Example Road, Floor 2")))
      assert.deepStrictEqual(filer.lastFiling, Option.none())
    }))

  it.scoped("blank rows skipped", () =>
    Effect.gen(function*() {
      const directory = yield* tempDir
      const path = join(directory, "blank.xlsx")
      yield* writeForm499Workbook(path, { rows: 3, blankRows: [1] })
      const { results } = yield* readAll(path)
      assert.deepStrictEqual(results.map((result) => result._tag === "RecordRead" ? result.row : -1), [2, 4])
    }))

  it.scoped("sample cut at half fails", () =>
    Effect.gen(function*() {
      const directory = yield* tempDir
      const path = yield* truncatedCopy(directory, sample, 0.5)
      const error = yield* Effect.flip(readAll(path))
      assert.strictEqual(error._tag, "FileUnreadable")
      assert.strictEqual(error.file, path)
      assert.include(error.message, path)
    }))

  it.scoped("sample cut at 90 percent fails", () =>
    Effect.gen(function*() {
      const directory = yield* tempDir
      const path = yield* truncatedCopy(directory, sample, 0.9)
      const error = yield* Effect.flip(readAll(path))
      assert.strictEqual(error.file, path)
      assert.include(error.message, "truncated")
    }))

  it.scoped("large file cut at 90 percent fails", () =>
    Effect.gen(function*() {
      const directory = yield* tempDir
      const whole = join(directory, "whole.xlsx")
      yield* writeForm499Workbook(whole, { rows: 500 })
      const path = yield* truncatedCopy(directory, whole, 0.9)
      const error = yield* Effect.flip(readAll(path))
      assert.strictEqual(error.file, path)
    }))

  it.scoped("cut at entry boundary fails", () =>
    Effect.gen(function*() {
      const directory = yield* tempDir
      const whole = join(directory, "whole.xlsx")
      yield* writeForm499Workbook(whole, { rows: 50 })
      const path = join(directory, "cut.xlsx")
      yield* Effect.promise(async () => {
        const bytes = await readFile(whole)
        const name = Buffer.from("xl/sharedStrings.xml")
        // The local header of an entry is 30 bytes followed by its name.
        const start = bytes.indexOf(name) - 30
        assert.strictEqual(bytes.readUInt32LE(start), 0x04034b50)
        await writeFile(path, bytes.subarray(0, start))
      })
      const error = yield* Effect.flip(readAll(path))
      assert.strictEqual(error.file, path)
    }))

  it.scoped("corrupt entry fails", () =>
    Effect.gen(function*() {
      const directory = yield* tempDir
      const path = join(directory, "corrupt.xlsx")
      yield* Effect.promise(async () => {
        const bytes = Buffer.from(await readFile(sample))
        for (let index = 1500; index < 1600; index++) bytes[index] = (bytes[index] ?? 0) ^ 0x5a
        await writeFile(path, bytes)
      })
      const error = yield* Effect.flip(readAll(path))
      assert.strictEqual(error.file, path)
    }))

  it.scoped("CSV file is not a workbook", () =>
    Effect.gen(function*() {
      const path = fileURLToPath(new URL("data/rmd/rmd-sample.csv", import.meta.url))
      const error = yield* Effect.flip(readAll(path))
      assert.include(error.message, "not a complete XLSX archive")
    }))

  it.scoped("missing file fails", () =>
    Effect.gen(function*() {
      const directory = yield* tempDir
      const error = yield* Effect.flip(readAll(join(directory, "absent.xlsx")))
      assert.include(error.message, "Cannot open")
    }))

  it.scoped("2,000 rows stream back", () =>
    Effect.gen(function*() {
      const directory = yield* tempDir
      const path = join(directory, "large.xlsx")
      yield* writeForm499Workbook(path, { rows: 2_000, seed: 7 })
      const counts = yield* Effect.scoped(Effect.gen(function*() {
        const opened = yield* Form499Reader.open(path)
        return yield* Stream.runFold(opened.rows, { records: 0, rejected: 0 }, (count, result) =>
          result._tag === "RecordRead" ? { ...count, records: count.records + 1 } : { ...count, rejected: count.rejected + 1 })
      }))
      assert.strictEqual(counts.records, 2_000)
      assert.strictEqual(counts.rejected, 0)
    }))

  it.scoped("generated bad rows rejected", () =>
    Effect.gen(function*() {
      const directory = yield* tempDir
      const path = join(directory, "every-tenth.xlsx")
      const written = yield* writeForm499Workbook(path, { rows: 40, badRowEvery: 10 })
      const { results } = yield* readAll(path)
      const rejected = rejectionsOf(results).map((rejection) => ({ row: rejection.row, column: rejection.column }))
      assert.deepStrictEqual(rejected, written.badRows)
      assert.strictEqual(recordsOf(results).length, 36)
    }))
})
