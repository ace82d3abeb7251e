import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs/promises"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Util from "node:util"
import { describe, expect, it, layer } from "@effect/vitest"
import { ConfigProvider, Context, Effect, Layer } from "effect"
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, StandardFonts } from "pdf-lib"
import { Binder } from "../src/Binder.ts"
import type { BinderDocument, BinderInput } from "../src/Binder.ts"

const execFile = Util.promisify(ChildProcess.execFile)

/** Builds `Binder.layer` from the given settings only, ignoring the environment. */
const binderLayer = (settings: Record<string, string>) =>
  Binder.layer.pipe(Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(settings))))))

/** A PDF of `pages` pages, page j reading "<label> page j". */
const makePdf = (label: string, pages: number) =>
  Effect.promise(async () => {
    const pdf = await PDFDocument.create()
    const font = await pdf.embedFont(StandardFonts.Helvetica)
    for (let page = 1; page <= pages; page++) {
      pdf.addPage([612, 792]).drawText(`${label} page ${page}`, { x: 72, y: 700, size: 14, font })
    }
    return await pdf.save({ addDefaultPage: false })
  })

const titles = [
  "FCC Form 499-A filing",
  "Québec — Société registration",
  "Łódź office lease",
  "CPNI certification",
  "Robocall mitigation plan"
]
const pageCounts = [1, 2, 3, 1, 2]
/** Cover and one contents page come first, so the first document starts on page 3. */
const startPages = [3, 4, 6, 9, 10]
const totalPages = 11

const makeInput = (documents: ReadonlyArray<BinderDocument>): BinderInput => ({
  title: "Compliance binder 2026",
  subtitle: "Annual regulatory filings",
  preparedFor: "Example Telecom LLC",
  date: "4 December 2026",
  documents
})

const sampleDocuments = Effect.forEach(titles, (title, index) =>
  makePdf(`Document ${index + 1}`, pageCounts[index] ?? 1).pipe(Effect.map((pdf) => ({ title, pdf })))
)

/** Compiles the five sample documents. */
const compileSample = Effect.gen(function* () {
  const binder = yield* Binder
  return yield* binder.compile(makeInput(yield* sampleDocuments))
})

/** Runs a poppler tool on the PDF written to a temporary file, returning its stdout. */
const poppler = (tool: string, args: ReadonlyArray<string>, pdf: Uint8Array) =>
  Effect.acquireUseRelease(
    Effect.promise(() => Fs.mkdtemp(Path.join(Os.tmpdir(), "pw-binder-test-"))),
    (directory) =>
      Effect.promise(async () => {
        const pdfPath = Path.join(directory, "binder.pdf")
        await Fs.writeFile(pdfPath, pdf)
        const { stdout } = await execFile(tool, [...args, pdfPath, ...(tool === "pdftotext" ? ["-"] : [])])
        return stdout
      }),
    (directory) => Effect.promise(() => Fs.rm(directory, { recursive: true, force: true }))
  )

/** Text of each page, split on the form feeds pdftotext puts after every page. */
const pageTexts = (pdf: Uint8Array) =>
  poppler("pdftotext", ["-layout"], pdf).pipe(Effect.map((text) => text.split("\f").slice(0, -1)))

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** Title and destination page reference of each outline item, following /First and /Next. */
const readOutline = (pdf: PDFDocument) => {
  const root = pdf.catalog.lookup(PDFName.of("Outlines"), PDFDict)
  const count = root.lookup(PDFName.of("Count"), PDFNumber).asNumber()
  const items: Array<{ readonly title: string; readonly target: PDFRef | undefined }> = []
  let item = root.lookupMaybe(PDFName.of("First"), PDFDict)
  while (item !== undefined) {
    const destination = item.lookup(PDFName.of("Dest"), PDFArray)
    const target = destination.get(0)
    items.push({
      title: item.lookup(PDFName.of("Title"), PDFHexString).decodeText(),
      target: target instanceof PDFRef ? target : undefined
    })
    item = item.lookupMaybe(PDFName.of("Next"), PDFDict)
  }
  return { count, items }
}

layer(binderLayer({}))("Binder", (it) => {
  it.effect("page count adds cover and contents", () =>
    Effect.gen(function* () {
      const info = yield* poppler("pdfinfo", [], yield* compileSample)
      expect(info).toMatch(new RegExp(`^Pages:\\s+${totalPages}$`, "m"))
    })
  )

  it.effect("cover shows title and client", () =>
    Effect.gen(function* () {
      const [cover] = yield* pageTexts(yield* compileSample)
      expect(cover).toContain("Compliance binder 2026")
      expect(cover).toContain("Prepared for Example Telecom LLC")
      expect(cover).toContain("4 December 2026")
      expect(cover).not.toContain("Page 1 of")
    })
  )

  it.effect("contents lists start pages", () =>
    Effect.gen(function* () {
      const contents = (yield* pageTexts(yield* compileSample))[1]
      titles.forEach((title, index) => {
        expect(contents).toMatch(new RegExp(`${escapeRegExp(title)}\\s+${startPages[index]}\\n`))
      })
    })
  )

  it.effect("footers number non-cover pages", () =>
    Effect.gen(function* () {
      const pages = yield* pageTexts(yield* compileSample)
      expect(pages).toHaveLength(totalPages)
      pages.slice(1).forEach((text, index) => {
        expect(text).toContain(`Page ${index + 2} of ${totalPages}`)
      })
    })
  )

  it.effect("documents keep their order", () =>
    Effect.gen(function* () {
      const pages = yield* pageTexts(yield* compileSample)
      startPages.forEach((start, index) => {
        expect(pages[start - 1]).toContain(`Document ${index + 1} page 1`)
      })
      expect(pages[totalPages - 1]).toContain("Document 5 page 2")
    })
  )

  it.effect("outline bookmarks each document", () =>
    Effect.gen(function* () {
      const bytes = yield* compileSample
      const bound = yield* Effect.promise(() => PDFDocument.load(bytes))
      const { count, items } = readOutline(bound)
      const pages = bound.getPages()
      expect(count).toBe(titles.length)
      expect(items.map((item) => item.title)).toEqual(titles)
      expect(items.map((item) => item.target)).toEqual(startPages.map((start) => pages[start - 1]?.ref))
    })
  )

  it.effect("non-Latin-1 title survives", () =>
    Effect.gen(function* () {
      const text = (yield* pageTexts(yield* compileSample)).join("\n")
      expect(text).toContain("Łódź office lease")
      expect(text).toContain("Québec — Société registration")
    })
  )

  it.effect("invalid PDF names the document", () =>
    Effect.gen(function* () {
      const binder = yield* Binder
      const broken = { title: "Broken upload", pdf: new TextEncoder().encode("not a pdf") }
      const documents = [...(yield* sampleDocuments), broken]
      const error = yield* Effect.flip(binder.compile(makeInput(documents)))
      expect(error._tag).toBe("BinderError")
      expect(error.document).toBe("Broken upload")
      expect(error.message).toContain("Broken upload")
    })
  )

  it.effect("pageless PDF names the document", () =>
    Effect.gen(function* () {
      const binder = yield* Binder
      const empty = yield* makePdf("Nothing", 0)
      const error = yield* Effect.flip(binder.compile(makeInput([{ title: "Blank scan", pdf: empty }])))
      expect(error.document).toBe("Blank scan")
    })
  )

  it.effect("empty documents list fails", () =>
    Effect.gen(function* () {
      const binder = yield* Binder
      const error = yield* Effect.flip(binder.compile(makeInput([])))
      expect(error._tag).toBe("BinderError")
      expect(error.message).toContain("no documents")
    })
  )

  it.effect("long list spills contents over", () =>
    Effect.gen(function* () {
      const binder = yield* Binder
      const documents = yield* Effect.forEach(Array.from({ length: 40 }, (_, index) => index + 1), (number) =>
        makePdf(`Exhibit ${number}`, 1).pipe(Effect.map((pdf) => ({ title: `Exhibit ${number}`, pdf })))
      )
      const pages = yield* pageTexts(yield* binder.compile(makeInput(documents)))
      expect(pages).toHaveLength(3 + 40)
      expect(pages[1]).toMatch(/Exhibit 1\s+4\n/)
      expect(pages[2]).toMatch(/Exhibit 40\s+43\n/)
      expect(pages[3]).toContain("Exhibit 1 page 1")
    })
  )
})

describe("Binder font", () => {
  it.effect("missing font names install command", () =>
    Effect.gen(function* () {
      const missingFont = binderLayer({ BINDER_FONT_PATH: "/nonexistent/LiberationSans-Regular.ttf" })
      const error = yield* Layer.build(missingFont).pipe(
        Effect.map(Context.get(Binder)),
        Effect.scoped,
        Effect.flip
      )
      expect(error._tag).toBe("BinderError")
      expect(error.message).toContain("apt-get install -y --no-install-recommends fonts-liberation2")
    })
  )
})
