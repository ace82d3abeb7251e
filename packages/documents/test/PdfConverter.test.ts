import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs/promises"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Util from "node:util"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Context, Effect, Exit, Layer } from "effect"
import { render } from "../src/DocxTemplate.ts"
import { ConversionFailed, ConversionTimedOut, PdfConverter } from "../src/PdfConverter.ts"

const execFile = Util.promisify(ChildProcess.execFile)

const templatesDirectory = Path.resolve(import.meta.dirname, "../../../templates")

/** Real LibreOffice conversions: the first one in a fresh profile takes several seconds. */
const conversionTestTimeout = 180_000

const readTemplate = Effect.promise(async () => {
  const template = await Fs.readFile(Path.join(templatesDirectory, "cpni-certification.docx"))
  const sampleJson = await Fs.readFile(Path.join(templatesDirectory, "cpni-certification.sample.json"), "utf8")
  const sampleData: Record<string, unknown> = JSON.parse(sampleJson)
  return { template, sampleData }
})

/** A fresh directory under the system temp directory, removed when the scope closes. */
const tempDirectory = Effect.acquireRelease(
  Effect.promise(() => Fs.mkdtemp(Path.join(Os.tmpdir(), "pw-documents-test-"))),
  (directory) => Effect.promise(() => Fs.rm(directory, { recursive: true, force: true }))
)

/** Builds `PdfConverter.layer` in the current scope from the given settings only. */
const openConverter = (settings: Record<string, string>) =>
  Layer.build(
    PdfConverter.layer.pipe(
      Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(settings)))))
    )
  ).pipe(Effect.map(Context.get(PdfConverter)))

/** Extracts the text of a PDF with poppler's pdftotext. */
const pdfText = (pdf: Uint8Array) =>
  Effect.gen(function* () {
    const directory = yield* tempDirectory
    const pdfPath = Path.join(directory, "out.pdf")
    yield* Effect.promise(() => Fs.writeFile(pdfPath, pdf))
    const { stdout } = yield* Effect.promise(() => execFile("pdftotext", ["-layout", pdfPath, "-"]))
    return stdout
  }).pipe(Effect.scoped)

const pdfPageCount = (pdf: Uint8Array) =>
  Effect.gen(function* () {
    const directory = yield* tempDirectory
    const pdfPath = Path.join(directory, "out.pdf")
    yield* Effect.promise(() => Fs.writeFile(pdfPath, pdf))
    const { stdout } = yield* Effect.promise(() => execFile("pdfinfo", [pdfPath]))
    return Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1])
  }).pipe(Effect.scoped)

const conversionDirectories = Effect.promise(async () =>
  (await Fs.readdir(Os.tmpdir())).filter((name) => name.startsWith("pw-pdf-"))
)

describe("PdfConverter", () => {
  it.scopedLive(
    "converts the rendered certification",
    () =>
      Effect.gen(function* () {
        const dataDirectory = yield* tempDirectory
        const converter = yield* openConverter({ PW_DATA_DIR: dataDirectory })
        const { template, sampleData } = yield* readTemplate
        const docx = yield* render(template, sampleData)
        const directoriesBefore = yield* conversionDirectories

        const pdf = yield* converter.convert(docx)
        const text = yield* pdfText(pdf)

        expect(new TextDecoder().decode(pdf.subarray(0, 5))).toBe("%PDF-")
        expect(text).toContain("SAMPLE — not filed")
        expect(text).toContain("Annual 47 C.F.R. § 64.2009(e) CPNI Certification")
        expect(text).toContain("EB Docket No. 06-36")
        expect(text).toContain("Annual 64.2009(e) CPNI Certification for 2024")
        expect(text).toContain("Date filed: February 14, 2025")
        expect(text).toContain("Example Telecom Holdings, LLC")
        expect(text).toContain("Form 499 Filer ID: 831234")
        expect(text).toContain("FRN: 0012345678")
        expect(text).toContain("Austin, TX 78701")
        expect(text).toContain("Statement of operating procedures:")
        expect(text).toContain("Actions taken against data brokers:")
        expect(text).toContain("Improper access by employees: 0")
        expect(text).toContain("Jordan A. Rivera, Chief Executive Officer")
        expect(yield* pdfPageCount(pdf)).toBe(1)

        const profileEntries = yield* Effect.promise(() =>
          Fs.readdir(Path.join(dataDirectory, "libreoffice", "profile-0"))
        )
        expect(profileEntries).toContain("user")
        expect(yield* conversionDirectories).toEqual(directoriesBefore)
      }),
    conversionTestTimeout
  )

  it.scopedLive(
    "random bytes fail with ConversionFailed",
    () =>
      Effect.gen(function* () {
        const dataDirectory = yield* tempDirectory
        const converter = yield* openConverter({ PW_DATA_DIR: dataDirectory })

        const error = yield* Effect.flip(converter.convert(new TextEncoder().encode("this is not a docx")))
        expect(error).toBeInstanceOf(ConversionFailed)
        expect(error.message).toContain("not a DOCX")
      }),
    conversionTestTimeout
  )

  it.scopedLive(
    "corrupt ZIP fails with LibreOffice stderr",
    () =>
      Effect.gen(function* () {
        const dataDirectory = yield* tempDirectory
        const converter = yield* openConverter({ PW_DATA_DIR: dataDirectory })
        const corrupt = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new TextEncoder().encode("truncated archive")])
        const directoriesBefore = yield* conversionDirectories

        const error = yield* Effect.flip(converter.convert(corrupt))
        expect(error._tag).toBe("ConversionFailed")
        expect(error.message).toContain("produced no PDF")
        expect(error.stderrTail).not.toBe("")
        expect(error.message).toContain(error.stderrTail.trim())
        expect(yield* conversionDirectories).toEqual(directoriesBefore)
      }),
    conversionTestTimeout
  )

  it.scopedLive(
    "two concurrent conversions succeed",
    () =>
      Effect.gen(function* () {
        const dataDirectory = yield* tempDirectory
        const converter = yield* openConverter({ PW_DATA_DIR: dataDirectory, DOCSERVER_CONCURRENCY: "2" })
        const { template, sampleData } = yield* readTemplate
        const first = yield* render(template, { ...sampleData, legalName: "First Carrier, Inc." })
        const second = yield* render(template, { ...sampleData, legalName: "Second Carrier, LLC" })

        const [firstPdf, secondPdf] = yield* Effect.all([converter.convert(first), converter.convert(second)], {
          concurrency: "unbounded"
        })

        expect(yield* pdfText(firstPdf)).toContain("First Carrier, Inc.")
        expect(yield* pdfText(secondPdf)).toContain("Second Carrier, LLC")
        const profiles = yield* Effect.promise(() => Fs.readdir(Path.join(dataDirectory, "libreoffice")))
        expect(profiles.sort()).toEqual(["profile-0", "profile-1"])
        for (const profile of profiles) {
          const entries = yield* Effect.promise(() => Fs.readdir(Path.join(dataDirectory, "libreoffice", profile)))
          expect(entries).toContain("user")
        }
      }),
    conversionTestTimeout
  )

  it.scopedLive(
    "timeout kills soffice, profile stays usable",
    () =>
      Effect.gen(function* () {
        const dataDirectory = yield* tempDirectory
        const { template, sampleData } = yield* readTemplate
        const docx = yield* render(template, sampleData)

        const hurried = yield* openConverter({ PW_DATA_DIR: dataDirectory, DOCSERVER_TIMEOUT: "300 millis" })
        const error = yield* Effect.flip(hurried.convert(docx))
        expect(error).toBeInstanceOf(ConversionTimedOut)
        expect(error.message).toContain("timed out")

        const patient = yield* openConverter({ PW_DATA_DIR: dataDirectory })
        const pdf = yield* patient.convert(docx)
        expect(yield* pdfText(pdf)).toContain("Example Telecom Holdings, LLC")
      }),
    conversionTestTimeout
  )

  it.scopedLive("missing SOFFICE_PATH binary fails the layer", () =>
    Effect.gen(function* () {
      const dataDirectory = yield* tempDirectory
      const missingBinary = Path.join(dataDirectory, "no-such-soffice")

      const exit = yield* Effect.exit(openConverter({ PW_DATA_DIR: dataDirectory, SOFFICE_PATH: missingBinary }))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(exit)).toContain("SofficeNotFound")
      expect(String(exit)).toContain(missingBinary)
    })
  )

  it.scopedLive("DOCSERVER_CONCURRENCY below 1 is rejected", () =>
    Effect.gen(function* () {
      const dataDirectory = yield* tempDirectory

      const exit = yield* Effect.exit(openConverter({ PW_DATA_DIR: dataDirectory, DOCSERVER_CONCURRENCY: "0" }))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(exit)).toContain("DOCSERVER_CONCURRENCY must be at least 1")
    })
  )
})
