/**
 * Binds several PDF documents into one: a cover page, a table of contents,
 * every document's pages in order, a "Page i of N" footer on every page but
 * the cover, and one outline bookmark per document.
 */
import * as Fs from "node:fs/promises"
import fontkit from "@pdf-lib/fontkit"
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, rgb } from "pdf-lib"
import type { PDFFont, PDFPage } from "pdf-lib"
import { Config, Context, Effect, Layer, Schema } from "effect"
import type { ConfigError } from "effect"

/** Command that installs the default font on Debian and Ubuntu. */
const fontInstallCommand = "apt-get install -y --no-install-recommends fonts-liberation2"

/** US Letter, in PDF points. */
const pageWidth = 612
const pageHeight = 792
const margin = 72
const textWidth = pageWidth - 2 * margin
const black = rgb(0, 0, 0)
const grey = rgb(0.35, 0.35, 0.35)

/** Type sizes and line heights of the generated pages. */
const titleSize = 24
const subtitleSize = 15
const bodySize = 12
const bodyLineHeight = 18
const footerSize = 9
/** Distance of the footer's baseline from the bottom edge of the page. */
const footerBaseline = 24

/** Baseline of the first table of contents row, below the "Contents" heading. */
const contentsFirstRow = pageHeight - margin - 48
/** Rows of the table of contents that fit on one page above the footer. */
const contentsRowsPerPage = Math.floor((contentsFirstRow - margin) / bodyLineHeight) + 1

/**
 * Binding failed: the font is missing or unreadable, the documents list is
 * empty, a document is not a readable PDF or has no pages, or pdf-lib failed
 * while writing the result.
 */
export class BinderError extends Schema.TaggedError<BinderError>()("BinderError", {
  message: Schema.String,
  /** Title of the input document at fault, when one is. */
  document: Schema.optional(Schema.String),
  cause: Schema.Defect
}) {}

/** One document to bind: its title in the contents and outline, and its PDF bytes. */
export interface BinderDocument {
  readonly title: string
  readonly pdf: Uint8Array
}

/** Cover page text and the documents to bind. */
export interface BinderInput {
  readonly title: string
  readonly subtitle?: string
  /** Name of the client the binder is for, shown as "Prepared for …" on the cover. */
  readonly preparedFor: string
  /** Date shown on the cover, already formatted by the caller, for example "4 December 2026". */
  readonly date: string
  /** Documents in binding order, at least one. */
  readonly documents: ReadonlyArray<BinderDocument>
}

/** Settings of the binder, read by `BinderConfig.layer` from the environment. */
export class BinderConfig extends Context.Tag("@pw/documents/BinderConfig")<
  BinderConfig,
  {
    /** TrueType font used for all text the binder writes. */
    readonly fontPath: string
  }
>() {
  /** Reads `BINDER_FONT_PATH`. */
  static readonly layer: Layer.Layer<BinderConfig, ConfigError.ConfigError> = Layer.effect(
    BinderConfig,
    Effect.gen(function* () {
      const fontPath = yield* Config.nonEmptyString("BINDER_FONT_PATH").pipe(
        Config.withDefault("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"),
        Config.withDescription(
          `TrueType font for the cover, contents and page footers of bound PDFs. It must cover every script used in titles. The default is Liberation Sans, installed by \`${fontInstallCommand}\`.`
        )
      )
      return { fontPath }
    })
  )
}

/** Message of a thrown value. */
const describeCause = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

/** Shortens `text` with an ellipsis until it fits in `width` at `size`. */
const fitText = (font: PDFFont, text: string, size: number, width: number): string => {
  if (font.widthOfTextAtSize(text, size) <= width) {
    return text
  }
  const characters = Array.from(text)
  while (characters.length > 0 && font.widthOfTextAtSize(`${characters.join("")}…`, size) > width) {
    characters.pop()
  }
  return `${characters.join("")}…`
}

/** Breaks `text` into lines no wider than `width` at `size`, at spaces where possible. */
const wrapText = (font: PDFFont, text: string, size: number, width: number): ReadonlyArray<string> => {
  const lines: Array<string> = []
  let line = ""
  for (const word of text.split(/\s+/).filter((part) => part.length > 0)) {
    const candidate = line === "" ? word : `${line} ${word}`
    if (font.widthOfTextAtSize(candidate, size) <= width) {
      line = candidate
    } else {
      if (line !== "") {
        lines.push(line)
      }
      line = fitText(font, word, size, width)
    }
  }
  if (line !== "") {
    lines.push(line)
  }
  return lines
}

/** Draws the cover: title, subtitle, prepared-for line, date and the list of documents. */
const drawCover = (page: PDFPage, font: PDFFont, input: BinderInput) => {
  let y = pageHeight - margin - titleSize
  for (const line of wrapText(font, input.title, titleSize, textWidth)) {
    page.drawText(line, { x: margin, y, size: titleSize, font, color: black })
    y -= titleSize * 1.3
  }
  if (input.subtitle !== undefined) {
    y -= 4
    for (const line of wrapText(font, input.subtitle, subtitleSize, textWidth)) {
      page.drawText(line, { x: margin, y, size: subtitleSize, font, color: grey })
      y -= subtitleSize * 1.4
    }
  }
  y -= 2 * bodyLineHeight
  const preparedFor = fitText(font, `Prepared for ${input.preparedFor}`, bodySize, textWidth)
  page.drawText(preparedFor, { x: margin, y, size: bodySize, font, color: black })
  y -= bodyLineHeight
  page.drawText(fitText(font, input.date, bodySize, textWidth), { x: margin, y, size: bodySize, font, color: black })
  y -= 2 * bodyLineHeight
  page.drawText("Documents", { x: margin, y, size: subtitleSize, font, color: black })
  y -= bodyLineHeight * 1.5

  const rows = Math.max(1, Math.floor((y - margin) / bodyLineHeight) + 1)
  const { documents } = input
  // When the list does not fit, the last row gives the number of documents left out.
  const listedCount = documents.length <= rows ? documents.length : rows - 1
  documents.slice(0, listedCount).forEach((document, index) => {
    const entry = fitText(font, `${index + 1}. ${document.title}`, bodySize, textWidth)
    page.drawText(entry, { x: margin, y, size: bodySize, font, color: black })
    y -= bodyLineHeight
  })
  if (listedCount < documents.length) {
    const more = `and ${documents.length - listedCount} more, listed in the contents`
    page.drawText(more, { x: margin, y, size: bodySize, font, color: grey })
  }
}

/** Draws one page of the table of contents: rows of title and right-aligned start page. */
const drawContentsPage = (
  page: PDFPage,
  font: PDFFont,
  rows: ReadonlyArray<{ readonly title: string; readonly startPage: number }>
) => {
  page.drawText("Contents", { x: margin, y: pageHeight - margin - titleSize, size: titleSize, font, color: black })
  let y = contentsFirstRow
  for (const row of rows) {
    const number = String(row.startPage)
    const numberWidth = font.widthOfTextAtSize(number, bodySize)
    const title = fitText(font, row.title, bodySize, textWidth - numberWidth - 24)
    page.drawText(title, { x: margin, y, size: bodySize, font, color: black })
    page.drawText(number, { x: pageWidth - margin - numberWidth, y, size: bodySize, font, color: black })
    y -= bodyLineHeight
  }
}

/**
 * Draws "Page i of N" centred at the bottom of the page's visible area.
 * NOTE: the page's /Rotate is ignored, so on a rotated page the footer sits along another edge.
 */
const drawFooter = (page: PDFPage, font: PDFFont, pageNumber: number, pageCount: number) => {
  const text = `Page ${pageNumber} of ${pageCount}`
  const box = page.getCropBox()
  const width = font.widthOfTextAtSize(text, footerSize)
  page.drawText(text, {
    x: box.x + (box.width - width) / 2,
    y: box.y + footerBaseline,
    size: footerSize,
    font,
    color: grey
  })
}

/**
 * Adds the document outline: one top-level bookmark per document, in order,
 * each opening its first page scaled to fit the window.
 */
const addOutline = (
  output: PDFDocument,
  entries: ReadonlyArray<{ readonly title: string; readonly pageRef: PDFRef }>
) => {
  const context = output.context
  const rootRef = context.nextRef()
  const itemRefs = entries.map(() => context.nextRef())
  entries.forEach((entry, index) => {
    const item = PDFDict.withContext(context)
    item.set(PDFName.of("Title"), PDFHexString.fromText(entry.title))
    item.set(PDFName.of("Parent"), rootRef)
    const previous = itemRefs[index - 1]
    if (previous !== undefined) {
      item.set(PDFName.of("Prev"), previous)
    }
    const next = itemRefs[index + 1]
    if (next !== undefined) {
      item.set(PDFName.of("Next"), next)
    }
    const destination = PDFArray.withContext(context)
    destination.push(entry.pageRef)
    destination.push(PDFName.of("Fit"))
    item.set(PDFName.of("Dest"), destination)
    const itemRef = itemRefs[index]
    if (itemRef !== undefined) {
      context.assign(itemRef, item)
    }
  })
  const root = PDFDict.withContext(context)
  root.set(PDFName.of("Type"), PDFName.of("Outlines"))
  const first = itemRefs[0]
  const last = itemRefs[itemRefs.length - 1]
  if (first !== undefined && last !== undefined) {
    root.set(PDFName.of("First"), first)
    root.set(PDFName.of("Last"), last)
  }
  root.set(PDFName.of("Count"), PDFNumber.of(itemRefs.length))
  context.assign(rootRef, root)
  output.catalog.set(PDFName.of("Outlines"), rootRef)
  output.catalog.set(PDFName.of("PageMode"), PDFName.of("UseOutlines"))
}

/** Parses one input document, failing with a `BinderError` naming it when it is unreadable or empty. */
const loadDocument = (document: BinderDocument) =>
  Effect.tryPromise({
    try: () => PDFDocument.load(document.pdf, { updateMetadata: false }),
    catch: (cause) =>
      new BinderError({
        message: `Document "${document.title}" is not a readable PDF (${describeCause(cause)}). Supply an unencrypted PDF file.`,
        document: document.title,
        cause
      })
  }).pipe(
    Effect.filterOrFail(
      (pdf) => pdf.getPageCount() > 0,
      () =>
        new BinderError({
          message: `Document "${document.title}" has no pages. Supply a PDF with at least one page.`,
          document: document.title,
          cause: undefined
        })
    ),
    Effect.map((pdf) => ({ title: document.title, pdf }))
  )

/** Reads the font file named by `BinderConfig`, failing with the install command when it is missing. */
const readFont = Effect.gen(function* () {
  const { fontPath } = yield* BinderConfig
  return yield* Effect.tryPromise({
    try: () => Fs.readFile(fontPath),
    catch: (cause) =>
      new BinderError({
        message: `Failed to read the binder font ${fontPath} (${describeCause(cause)}). Install it with \`${fontInstallCommand}\` or set BINDER_FONT_PATH to another TrueType font.`,
        cause
      })
  })
})

/** Builds the binder around the font bytes read once when the layer starts. */
const make: Effect.Effect<Binder["Type"], BinderError, BinderConfig> = Effect.gen(function* () {
  const fontBytes = yield* readFont

  const compile = Effect.fn("Binder.compile")(function* (input: BinderInput) {
    yield* Effect.annotateCurrentSpan({ documents: input.documents.length })
    if (input.documents.length === 0) {
      return yield* new BinderError({
        message: `Binder "${input.title}" has no documents. Supply at least one.`,
        cause: undefined
      })
    }
    const sources = yield* Effect.forEach(input.documents, loadDocument)

    const output = yield* Effect.tryPromise({
      try: () => PDFDocument.create({ updateMetadata: false }),
      catch: (cause) =>
        new BinderError({ message: `pdf-lib failed to create the binder: ${describeCause(cause)}`, cause })
    })
    output.registerFontkit(fontkit)
    // NOTE: the whole font is embedded (about 410 KB for Liberation Sans) because pdf-lib's subsetting was not
    // tested here. Characters the font lacks, such as CJK in Liberation Sans, are drawn as empty boxes.
    const font = yield* Effect.tryPromise({
      try: () => output.embedFont(fontBytes, { subset: false }),
      catch: (cause) =>
        new BinderError({
          message: `The binder font is not a valid TrueType font (${describeCause(cause)}). Set BINDER_FONT_PATH to a .ttf file.`,
          cause
        })
    })

    const contentsPageCount = Math.ceil(sources.length / contentsRowsPerPage)
    let nextStart = 2 + contentsPageCount
    const rows = sources.map((source) => {
      const startPage = nextStart
      nextStart += source.pdf.getPageCount()
      return { title: source.title, startPage }
    })
    const pageCount = nextStart - 1

    const cover = output.addPage([pageWidth, pageHeight])
    drawCover(cover, font, input)
    for (let index = 0; index < contentsPageCount; index++) {
      const page = output.addPage([pageWidth, pageHeight])
      drawContentsPage(page, font, rows.slice(index * contentsRowsPerPage, (index + 1) * contentsRowsPerPage))
    }

    const outlineEntries: Array<{ readonly title: string; readonly pageRef: PDFRef }> = []
    for (const source of sources) {
      const pages = yield* Effect.tryPromise({
        try: () => output.copyPages(source.pdf, source.pdf.getPageIndices()),
        catch: (cause) =>
          new BinderError({
            message: `Failed to copy the pages of document "${source.title}": ${describeCause(cause)}`,
            document: source.title,
            cause
          })
      })
      pages.forEach((page, index) => {
        output.addPage(page)
        if (index === 0) {
          outlineEntries.push({ title: source.title, pageRef: page.ref })
        }
      })
    }

    output.getPages().forEach((page, index) => {
      if (index > 0) {
        drawFooter(page, font, index + 1, pageCount)
      }
    })
    addOutline(output, outlineEntries)
    output.setTitle(input.title)

    const bytes = yield* Effect.tryPromise({
      try: () => output.save(),
      catch: (cause) =>
        new BinderError({ message: `pdf-lib failed to write the binder: ${describeCause(cause)}`, cause })
    })
    yield* Effect.logInfo("Binder compiled").pipe(
      Effect.annotateLogs({ documents: sources.length, pages: pageCount, bytes: bytes.byteLength })
    )
    return bytes
  })

  return { compile }
})

/** Binds PDF documents into one PDF with cover, contents, page footers and outline. */
export class Binder extends Context.Tag("@pw/documents/Binder")<
  Binder,
  {
    /**
     * Returns one PDF: page 1 is the cover, then the table of contents
     * (as many pages as its rows need, each row a title and its start page), then
     * every document's pages in input order. Every page but the cover has the
     * footer "Page i of N", the cover counting as page 1. The outline has one
     * bookmark per document opening its first page. Fails with a
     * `BinderError` naming the document when one is not a readable PDF or
     * has no pages, and when `documents` is empty.
     */
    readonly compile: (input: BinderInput) => Effect.Effect<Uint8Array, BinderError>
  }
>() {
  /**
   * The binder configured from the environment (see `BinderConfig.layer`).
   * Reads the font once at start and fails with a `BinderError` naming the
   * install command when it is missing.
   */
  static readonly layer: Layer.Layer<Binder, BinderError | ConfigError.ConfigError> = Layer.effect(
    Binder,
    make
  ).pipe(Layer.provide(BinderConfig.layer))
}
