import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { describe, expect, it, layer } from "@effect/vitest"
import { Context, Effect, Exit, Fiber, Layer } from "effect"
import { ConversionTimedOut } from "../src/ConversionErrors.ts"
import { LibreOfficePool } from "../src/LibreOfficePool.ts"
import { PdfConverterConfig } from "../src/PdfConverterConfig.ts"
import {
  configProvider,
  letterFor,
  livingProcessesInGroups,
  longDocx,
  pdfPageCount,
  pdfText,
  pollUntil,
  tempDirectory,
  TestDataDirectory,
  withTestConfig
} from "./LibreOfficeFixtures.ts"

/**
 * Warm conversions of one-page documents take well under a second, so
 * 5 seconds leaves room on a busy machine, and `hungDocument` never
 * finishes within it (LibreOffice 7.4 needed about 14 seconds for 60,000
 * paragraphs on two cores).
 */
const timeout = "5 seconds"
const hungDocument = longDocx(200_000)

/** Takes about a second on a warm instance: long enough to kill the instance in the middle. */
const slowDocument = longDocx(6_000)

const PoolLive = withTestConfig(LibreOfficePool.layer.pipe(Layer.provide(PdfConverterConfig.layer)), {
  DOCSERVER_POOL_SIZE: "2",
  DOCSERVER_TIMEOUT: timeout
})

const legalNames = Array.from({ length: 20 }, (_, index) => `Example Carrier ${String(index + 1).padStart(2, "0")}, LLC`)

layer(PoolLive, { excludeTestServices: true, timeout: "180 seconds" })("LibreOfficePool", (it) => {
  it.scoped("converts 20 documents concurrently", () =>
    Effect.gen(function* () {
      const pool = yield* LibreOfficePool
      const documents = yield* Effect.forEach(legalNames, letterFor)

      const pdfs = yield* Effect.forEach(documents, pool.convert, { concurrency: "unbounded" })

      for (const [index, pdf] of pdfs.entries()) {
        expect(yield* pdfPageCount(pdf)).toBe(1)
        expect(yield* pdfText(pdf)).toContain(`Issued to ${legalNames[index]}.`)
      }
      const instances = yield* pool.instances
      expect(instances.map((instance) => instance.conversions > 0)).toEqual([true, true])
    }))

  it.scoped("replaces an instance killed while idle", () =>
    Effect.gen(function* () {
      const pool = yield* LibreOfficePool
      const [before] = yield* pool.instances
      const killedPid = before?.sofficePid ?? null
      expect(killedPid).not.toBeNull()

      process.kill(-Number(killedPid), "SIGKILL")
      const [after] = yield* pollUntil(pool.instances, ([slot]) => slot?.running === true && slot.sofficePid !== killedPid)

      expect(after?.sofficePid).not.toBe(killedPid)
      expect(after?.running).toBe(true)
      expect(after?.starts).toBe((before?.starts ?? 0) + 1)
      expect(yield* livingProcessesInGroups([Number(killedPid)])).toEqual([])
      const pdf = yield* pool.convert(yield* letterFor("After Restart Telecom, Inc."))
      expect(yield* pdfText(pdf)).toContain("After Restart Telecom, Inc.")
    }))

  it.scoped("retries when the instance crashes", () =>
    Effect.gen(function* () {
      const pool = yield* LibreOfficePool
      const conversion = yield* Effect.fork(pool.convert(slowDocument))

      const instances = yield* pollUntil(pool.instances, (slots) => slots.some((slot) => slot.converting))
      const busy = instances.find((slot) => slot.converting)
      expect(busy?.sofficePid).toBeTypeOf("number")
      process.kill(-Number(busy?.sofficePid), "SIGKILL")
      const pdf = yield* Fiber.join(conversion)

      expect(yield* pdfPageCount(pdf)).toBeGreaterThan(1)
      const slot = (yield* pool.instances).find((instance) => instance.slot === busy?.slot)
      expect(slot?.starts).toBe((busy?.starts ?? 0) + 1)
      expect(slot?.running).toBe(true)
    }))

  it.scoped("hung conversion times out", () =>
    Effect.gen(function* () {
      const pool = yield* LibreOfficePool

      const error = yield* Effect.flip(pool.convert(hungDocument))
      expect(error).toBeInstanceOf(ConversionTimedOut)
      expect(error.message).toContain("timed out after 5s (DOCSERVER_TIMEOUT) twice")

      const pdf = yield* pool.convert(yield* letterFor("Recovered Networks, LLC"))
      expect(yield* pdfText(pdf)).toContain("Recovered Networks, LLC")
      const instances = yield* pollUntil(pool.instances, (slots) => slots.every((slot) => slot.running))
      expect(instances.map((instance) => instance.running)).toEqual([true, true])
    }))

  it.scoped("second pool on same profiles fails", () =>
    Effect.gen(function* () {
      const pool = yield* LibreOfficePool
      const dataDirectory = yield* TestDataDirectory
      const secondPool = LibreOfficePool.layer.pipe(
        Layer.provide(PdfConverterConfig.layer),
        Layer.provide(configProvider({ PW_DATA_DIR: dataDirectory, DOCSERVER_POOL_SIZE: "1" }))
      )

      const exit = yield* Effect.exit(Effect.scoped(Layer.build(secondPool)))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(exit)).toContain("LibreOfficeStartFailed")
      expect(String(exit)).toContain("Another LibreOffice may be using this profile")

      const pdf = yield* pool.convert(yield* letterFor("Undisturbed Telephone Company"))
      expect(yield* pdfText(pdf)).toContain("Undisturbed Telephone Company")
    }))
})

describe("LibreOfficePool lifecycle", () => {
  it.scopedLive("closing the layer kills every process", () =>
    Effect.gen(function* () {
      const dataDirectory = yield* tempDirectory
      const poolLayer = LibreOfficePool.layer.pipe(
        Layer.provide(PdfConverterConfig.layer),
        Layer.provide(configProvider({ PW_DATA_DIR: dataDirectory, DOCSERVER_POOL_SIZE: "2" }))
      )

      const groups = yield* Effect.scoped(
        Effect.gen(function* () {
          const pool = Context.get(yield* Layer.build(poolLayer), LibreOfficePool)
          const instances = yield* pool.instances
          return instances.flatMap((instance) => [instance.sofficePid ?? -1, instance.helperPid ?? -1])
        })
      )

      expect(groups.every((pid) => pid > 0)).toBe(true)
      expect(yield* pollUntil(livingProcessesInGroups(groups), (pids) => pids.length === 0)).toEqual([])
      const profiles = yield* Effect.promise(() => Fs.readdir(Path.join(dataDirectory, "libreoffice")))
      expect(profiles.sort()).toEqual(["pool-0", "pool-1"])
    }))
})
