import { writeFile } from "node:fs/promises"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { Chunk, Effect, Option, Stream } from "effect"
import type { ReadResult, RowRejected } from "../src/ReadResult.ts"
import type { RmdFiling } from "../src/Records.ts"
import * as RmdReader from "../src/RmdReader.ts"
import { tempDir } from "./support/TempDir.ts"

const sample = fileURLToPath(new URL("data/rmd/rmd-sample.csv", import.meta.url))

const readAll = (path: string) =>
  Effect.scoped(Effect.gen(function*() {
    const opened = yield* RmdReader.open(path)
    const results = Chunk.toReadonlyArray(yield* Stream.runCollect(opened.rows))
    return { ignoredColumns: opened.ignoredColumns, results }
  }))

const filingsOf = (results: ReadonlyArray<ReadResult<RmdFiling>>): ReadonlyArray<RmdFiling> =>
  results.flatMap((result) => (result._tag === "RecordRead" ? [result.record] : []))

const rejectionsOf = (results: ReadonlyArray<ReadResult<RmdFiling>>): ReadonlyArray<RowRejected> =>
  results.flatMap((result) => (result._tag === "RowRejected" ? [result.rejection] : []))

const csvFile = (text: string) =>
  Effect.gen(function*() {
    const directory = yield* tempDir
    const path = join(directory, "rmd.csv")
    yield* Effect.promise(() => writeFile(path, text))
    return path
  })

describe("RmdReader", () => {
  it.effect("sample yields three filings", () =>
    Effect.gen(function*() {
      const { results } = yield* readAll(sample)
      assert.deepStrictEqual(results.map((result) => result._tag === "RecordRead" ? result.row : -1), [2, 3, 4])
    }))

  it.effect("sample first filing values", () =>
    Effect.gen(function*() {
      const { results } = yield* readAll(sample)
      const filing = filingsOf(results)[0]
      assert.isDefined(filing)
      if (filing === undefined) return
      assert.strictEqual(filing.frn, "0018538512")
      assert.strictEqual(filing.businessName, "Example Valley Telephone LLC")
      assert.deepStrictEqual(filing.implementation, Option.some("Complete STIR/SHAKEN Implementation"))
      assert.deepStrictEqual(filing.voiceServiceProvider, Option.some(true))
      assert.deepStrictEqual(filing.gatewayProvider, Option.some(false))
      assert.deepStrictEqual(filing.foreignVoiceProvider, Option.some(false))
      assert.deepStrictEqual(filing.otherFrns, [])
      assert.deepStrictEqual(filing.lastUpdated, Option.some("2025-03-14"))
      assert.deepStrictEqual(filing.lastRecertified, Option.some("2025-02-27"))
    }))

  it.effect("sample other FRNs and dates", () =>
    Effect.gen(function*() {
      const { results } = yield* readAll(sample)
      const [, harborline, northwind] = filingsOf(results)
      assert.deepStrictEqual(harborline?.otherFrns.map(String), ["0012345688", "0012345696"])
      assert.deepStrictEqual(harborline?.lastUpdated, Option.some("2024-11-02"))
      assert.deepStrictEqual(harborline?.lastRecertified, Option.none())
      assert.deepStrictEqual(northwind?.nonGatewayIntermediateProvider, Option.some(true))
      assert.deepStrictEqual(northwind?.lastUpdated, Option.some("2025-01-05"))
    }))

  it.effect("sample lists no ignored columns", () =>
    Effect.gen(function*() {
      const { ignoredColumns } = yield* readAll(sample)
      assert.deepStrictEqual(ignoredColumns, [])
    }))

  it.scoped("reordered renamed columns read", () =>
    Effect.gen(function*() {
      const path = yield* csvFile([
        "last_updated,fcc registration number,LEGAL BUSINESS NAME , Gateway Provider,other frns",
        "2025-06-01 08:30,0018538512,Example Valley Telephone LLC,no,0012345670 0012345688"
      ].join("\n"))
      const { results } = yield* readAll(path)
      const filing = filingsOf(results)[0]
      assert.strictEqual(filing?.frn, "0018538512")
      assert.strictEqual(filing?.businessName, "Example Valley Telephone LLC")
      assert.deepStrictEqual(filing?.gatewayProvider, Option.some(false))
      assert.deepStrictEqual(filing?.voiceServiceProvider, Option.none())
      assert.deepStrictEqual(filing?.otherFrns.map(String), ["0012345670", "0012345688"])
      assert.deepStrictEqual(filing?.lastUpdated, Option.some("2025-06-01"))
    }))

  it.scoped("unknown column ignored", () =>
    Effect.gen(function*() {
      const path = yield* csvFile("FRN,Business Name,Internal Ref\n0018538512,Example Valley Telephone LLC,A-1\n")
      const { ignoredColumns, results } = yield* readAll(path)
      assert.deepStrictEqual(ignoredColumns, ["Internal Ref"])
      assert.strictEqual(filingsOf(results).length, 1)
    }))

  it.scoped("missing FRN column fails open", () =>
    Effect.gen(function*() {
      const path = yield* csvFile("Business Name,Implementation\nExample Valley Telephone LLC,Complete\n")
      const error = yield* Effect.flip(readAll(path))
      assert.strictEqual(error.file, path)
      assert.strictEqual(error.row, 1)
      assert.include(error.message, "FRN")
      assert.notInclude(error.message, "Business Name")
    }))

  it.scoped("missing both columns named", () =>
    Effect.gen(function*() {
      const path = yield* csvFile("Implementation,Country\nComplete,Canada\n")
      const error = yield* Effect.flip(readAll(path))
      assert.include(error.message, "Business Name, FRN")
    }))

  it.scoped("bad values rejected by row", () =>
    Effect.gen(function*() {
      const path = yield* csvFile([
        "FRN,Business Name,Gateway Provider,Last Updated,Other FRNs",
        "0018538512,Example Valley Telephone LLC,Yes,3/14/2025,",
        "12345,Harborline Voice Inc.,No,3/14/2025,",
        "0012345670,Harborline Voice Inc.,Perhaps,3/14/2025,",
        "0012345670,Harborline Voice Inc.,No,2/30/2025,",
        "0012345670,Harborline Voice Inc.,No,3/14/2025,0012345688;99",
        "0098765432,Northwind Relay Networks Ltd.,No,,"
      ].join("\n"))
      const { results } = yield* readAll(path)
      const rejections = rejectionsOf(results)
      assert.deepStrictEqual(rejections.map((rejection) => [rejection.row, rejection.column, rejection.value]), [
        [3, "FRN", "12345"],
        [4, "Gateway Provider", "Perhaps"],
        [5, "Last Updated", "2/30/2025"],
        [6, "Other FRNs", "0012345688;99"]
      ])
      assert.deepStrictEqual(results.flatMap((result) => result._tag === "RecordRead" ? [result.row] : []), [2, 7])
    }))

  it.scoped("field count mismatch rejected", () =>
    Effect.gen(function*() {
      const path = yield* csvFile("FRN,Business Name,Implementation\n0018538512,Example Valley Telephone LLC\n0012345670,Harborline Voice Inc.,Partial\n")
      const { results } = yield* readAll(path)
      const rejection = rejectionsOf(results)[0]
      assert.strictEqual(rejection?.row, 2)
      assert.include(rejection?.message ?? "", "2 fields but the header has 3")
      assert.strictEqual(filingsOf(results).length, 1)
    }))

  it.scoped("quoted newline keeps row count", () =>
    Effect.gen(function*() {
      const path = yield* csvFile("FRN,Business Name\n0018538512,\"Example Valley\nTelephone LLC\"\n12,Harborline Voice Inc.\n")
      const { results } = yield* readAll(path)
      assert.strictEqual(rejectionsOf(results)[0]?.row, 3)
    }))

  it.scoped("broken quote fails with line", () =>
    Effect.gen(function*() {
      const path = yield* csvFile("FRN,Business Name\n0018538512,Example Valley Telephone LLC\n0012345670,\"Harborline\" Voice\n")
      const error = yield* Effect.flip(readAll(path))
      assert.strictEqual(error.file, path)
      assert.include(error.message, "line 3")
      assert.strictEqual(error.row, 3)
    }))

  it.scoped("empty file fails", () =>
    Effect.gen(function*() {
      const path = yield* csvFile("")
      const error = yield* Effect.flip(readAll(path))
      assert.strictEqual(error.row, 1)
    }))

  it.scoped("missing file fails", () =>
    Effect.gen(function*() {
      const directory = yield* tempDir
      const error = yield* Effect.flip(readAll(join(directory, "absent.csv")))
      assert.include(error.message, "Cannot read")
    }))
})
