import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { describe, expect, it, layer } from "@effect/vitest"
import { Context, Effect, Exit, Layer } from "effect"
import { render } from "../src/DocxTemplate.ts"
import { LibreOfficeConverter } from "../src/LibreOfficeConverter.ts"
import { ConversionFailed, ConversionTimedOut, PdfConverter, PdfConverterConfig } from "../src/PdfConverter.ts"
import * as SofficeCli from "../src/SofficeCli.ts"
import {
  certificationData,
  configProvider,
  conversionDirectories,
  letterFor,
  longDocx,
  pdfPageCount,
  pdfText,
  pollUntil,
  readCertificationTemplate,
  TestDataDirectory,
  tempDirectory,
  withTestConfig
} from "./LibreOfficeFixtures.ts"

/** Real LibreOffice conversions: a cold soffice in a fresh profile takes several seconds. */
const conversionTestTimeout = 180_000

/** Never converted within the 5 second limit below; see LibreOfficePool.test.ts. */
const hungDocument = longDocx(200_000)

const corruptZip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new TextEncoder().encode("truncated archive")])

/** Builds `PdfConverter.layer` in the current scope from the given settings only. */
const openConverter = (settings: Record<string, string>) =>
  Layer.build(PdfConverter.layer.pipe(Layer.provide(configProvider(settings)))).pipe(
    Effect.map(Context.get(PdfConverter))
  )

/** Builds `SofficeCli.layer` in the current scope from the given settings only. */
const openSofficeCli = (settings: Record<string, string>) =>
  Layer.build(
    SofficeCli.layer.pipe(Layer.provide(PdfConverterConfig.layer), Layer.provide(configProvider(settings)))
  ).pipe(Effect.map(Context.get(LibreOfficeConverter)))

/** Waits until every work directory that appeared after `before` is gone; other processes may be converting too. */
const leftoverDirectories = (before: ReadonlyArray<string>) =>
  Effect.map(
    pollUntil(conversionDirectories, (current) => current.every((name) => before.includes(name))),
    (current) => current.filter((name) => !before.includes(name))
  )

const ConverterLive = withTestConfig(PdfConverter.layer, { DOCSERVER_POOL_SIZE: "2", DOCSERVER_TIMEOUT: "5 seconds" })

layer(ConverterLive, { excludeTestServices: true, timeout: "180 seconds" })("PdfConverter", (it) => {
  it.scoped("converts the rendered certification", () =>
    Effect.gen(function* () {
      const converter = yield* PdfConverter
      const dataDirectory = yield* TestDataDirectory
      const template = yield* readCertificationTemplate
      const docx = yield* render(template, certificationData)
      const directoriesBefore = yield* conversionDirectories

      const pdf = yield* converter.convert(docx)
      const text = yield* pdfText(pdf)

      expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe("%PDF-")
      expect(text).toContain("CPNI Certification")
      expect(text).toContain("Example Telecom Holdings, LLC")
      expect(text).toContain("0012345678")
      expect(text).toContain("831234")
      expect(text).toContain("100 Example Street, Suite 200")
      expect(text).toContain("Austin, TX 78701")
      expect(text).toContain("Jordan A. Rivera")
      expect(text).toContain("The company trains every employee with access to CPNI")
      expect(text).toContain("The company took no actions against data brokers in 2024.")
      expect(yield* pdfPageCount(pdf)).toBe(1)

      const profileEntries = yield* Effect.promise(() => Fs.readdir(Path.join(dataDirectory, "libreoffice", "pool-0")))
      expect(profileEntries).toContain("user")
      expect(yield* leftoverDirectories(directoriesBefore)).toEqual([])
    }))

  it.scoped("random bytes fail with ConversionFailed", () =>
    Effect.gen(function* () {
      const converter = yield* PdfConverter

      const error = yield* Effect.flip(converter.convert(new TextEncoder().encode("this is not a docx")))
      expect(error).toBeInstanceOf(ConversionFailed)
      expect(error.message).toContain("not a DOCX")
    }))

  it.scoped("corrupt ZIP fails with ConversionFailed", () =>
    Effect.gen(function* () {
      const converter = yield* PdfConverter
      const directoriesBefore = yield* conversionDirectories

      const error = yield* Effect.flip(converter.convert(corruptZip))
      expect(error).toBeInstanceOf(ConversionFailed)
      expect(error.message).toContain("failed to load")
      expect(error.message).toContain("MS Word 2007 XML")
      expect(yield* leftoverDirectories(directoriesBefore)).toEqual([])
    }))

  it.scoped("two concurrent conversions succeed", () =>
    Effect.gen(function* () {
      const converter = yield* PdfConverter
      const dataDirectory = yield* TestDataDirectory
      const template = yield* readCertificationTemplate
      const first = yield* render(template, { ...certificationData, legalName: "First Carrier, Inc." })
      const second = yield* render(template, { ...certificationData, legalName: "Second Carrier, LLC" })

      const [firstPdf, secondPdf] = yield* Effect.all([converter.convert(first), converter.convert(second)], {
        concurrency: "unbounded"
      })

      expect(yield* pdfText(firstPdf)).toContain("First Carrier, Inc.")
      expect(yield* pdfText(secondPdf)).toContain("Second Carrier, LLC")
      const profiles = yield* Effect.promise(() => Fs.readdir(Path.join(dataDirectory, "libreoffice")))
      expect(profiles.sort()).toEqual(["pool-0", "pool-1"])
      for (const profile of profiles) {
        const entries = yield* Effect.promise(() => Fs.readdir(Path.join(dataDirectory, "libreoffice", profile)))
        expect(entries).toContain("user")
      }
    }))

  it.scoped("timeout fails, converter stays usable", () =>
    Effect.gen(function* () {
      const converter = yield* PdfConverter

      const error = yield* Effect.flip(converter.convert(hungDocument))
      expect(error).toBeInstanceOf(ConversionTimedOut)
      expect(error.message).toContain("timed out")

      const pdf = yield* converter.convert(yield* letterFor("Patient Telecom, LLC"))
      expect(yield* pdfText(pdf)).toContain("Patient Telecom, LLC")
    }))
})

describe("PdfConverter configuration", () => {
  it.scopedLive("missing SOFFICE_PATH binary fails the layer", () =>
    Effect.gen(function* () {
      const dataDirectory = yield* tempDirectory
      const missingBinary = Path.join(dataDirectory, "no-such-soffice")

      const exit = yield* Effect.exit(openConverter({ PW_DATA_DIR: dataDirectory, SOFFICE_PATH: missingBinary }))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(exit)).toContain("SofficeNotFound")
      expect(String(exit)).toContain(missingBinary)
    }))

  it.scopedLive("missing DOCSERVER_PYTHON fails the layer", () =>
    Effect.gen(function* () {
      const dataDirectory = yield* tempDirectory
      const missingPython = Path.join(dataDirectory, "no-such-python3")

      const exit = yield* Effect.exit(openConverter({ PW_DATA_DIR: dataDirectory, DOCSERVER_PYTHON: missingPython }))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(exit)).toContain("LibreOfficeStartFailed")
      expect(String(exit)).toContain(missingPython)
      expect(String(exit)).toContain("python3-uno")
    }))

  it.scopedLive("DOCSERVER_CONCURRENCY below 1 is rejected", () =>
    Effect.gen(function* () {
      const dataDirectory = yield* tempDirectory

      const exit = yield* Effect.exit(openConverter({ PW_DATA_DIR: dataDirectory, DOCSERVER_CONCURRENCY: "0" }))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(exit)).toContain("DOCSERVER_CONCURRENCY must be at least 1")
    }))

  it.scopedLive("DOCSERVER_POOL_SIZE below 1 is rejected", () =>
    Effect.gen(function* () {
      const dataDirectory = yield* tempDirectory

      const exit = yield* Effect.exit(openConverter({ PW_DATA_DIR: dataDirectory, DOCSERVER_POOL_SIZE: "0" }))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(exit)).toContain("DOCSERVER_POOL_SIZE must be at least 1")
    }))
})

describe("SofficeCli", () => {
  it.scopedLive(
    "converts the rendered certification",
    () =>
      Effect.gen(function* () {
        const dataDirectory = yield* tempDirectory
        const converter = yield* openSofficeCli({ PW_DATA_DIR: dataDirectory })
        const template = yield* readCertificationTemplate
        const docx = yield* render(template, certificationData)

        const pdf = yield* converter.convert(docx)

        expect(yield* pdfText(pdf)).toContain("Example Telecom Holdings, LLC")
        const profileEntries = yield* Effect.promise(() =>
          Fs.readdir(Path.join(dataDirectory, "libreoffice", "profile-0"))
        )
        expect(profileEntries).toContain("user")
      }),
    conversionTestTimeout
  )

  it.scopedLive(
    "corrupt ZIP fails with LibreOffice stderr",
    () =>
      Effect.gen(function* () {
        const dataDirectory = yield* tempDirectory
        const converter = yield* openSofficeCli({ PW_DATA_DIR: dataDirectory })
        const directoriesBefore = yield* conversionDirectories

        const error = yield* Effect.flip(converter.convert(corruptZip))
        expect(error._tag).toBe("ConversionFailed")
        expect(error.message).toContain("produced no PDF")
        expect(error.stderrTail).not.toBe("")
        expect(error.message).toContain(error.stderrTail.trim())
        expect(yield* leftoverDirectories(directoriesBefore)).toEqual([])
      }),
    conversionTestTimeout
  )

  it.scopedLive(
    "timeout kills soffice",
    () =>
      Effect.gen(function* () {
        const dataDirectory = yield* tempDirectory
        const converter = yield* openSofficeCli({ PW_DATA_DIR: dataDirectory, DOCSERVER_TIMEOUT: "300 millis" })

        const error = yield* Effect.flip(converter.convert(yield* letterFor("Hurried Telecom, LLC")))
        expect(error).toBeInstanceOf(ConversionTimedOut)
        expect(error.message).toContain("timed out")
      }),
    conversionTestTimeout
  )
})
