/**
 * The golden-text suite of a template. Its sample is rendered, converted to
 * PDF once per test file by the real `PdfConverter.layer` and read back with
 * `pdftotext -layout`. Each printed value of the sample is then one test.
 */
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Util from "node:util"
import { expect, layer } from "@effect/vitest"
import { ConfigProvider, Context, Effect, Either, Layer, Scope } from "effect"
import type { TemplateValues } from "../../src/DocumentTemplate.ts"
import { documentTemplates, renderTemplate, type TemplateSlug } from "../../src/DocumentTemplates.ts"
import { PdfConverter } from "../../src/PdfConverter.ts"

const execFile = Util.promisify(ChildProcess.execFile)

/** The repository's `templates/` folder. */
export const templatesDirectory = Path.resolve(import.meta.dirname, "../../../../templates")

/** Time limit of one poppler tool run. */
const popplerTimeoutMillis = 30_000

/** Reads the committed sample data of `slug`. */
export const readSample = (slug: TemplateSlug): unknown =>
  JSON.parse(Fs.readFileSync(Path.join(templatesDirectory, documentTemplates[slug].sampleFile), "utf8"))

/** The values of `slug`'s sample; throws when the sample does not decode. */
export const sampleValues = (slug: TemplateSlug): TemplateValues =>
  Either.getOrThrowWith(documentTemplates[slug].decodeValues(readSample(slug)), (error) => error)

/**
 * Every printed value as `[path, text]`: strings at their key, loop rows as
 * `key.index.field`. Flags such as `sample` print no value of their own.
 */
export const printedValues = (values: TemplateValues): ReadonlyArray<readonly [string, string]> =>
  Object.entries(values).flatMap(([key, value]): ReadonlyArray<readonly [string, string]> => {
    if (typeof value === "string") return [[key, value]]
    if (typeof value === "boolean") return []
    return value.flatMap((row, index) =>
      Object.entries(row).map(([field, text]) => [`${key}.${index}.${field}`, text] as const)
    )
  })

/**
 * Collapses every run of white space to one space and rejoins words that
 * LibreOffice broke after a hyphen, so text compares across line breaks.
 */
export const normalizeText = (text: string): string =>
  text
    .replace(/-[ \t]*\r?\n\s*/g, "-")
    .replace(/\s+/g, " ")
    .trim()

/** A fresh directory under the system temp directory, removed with its contents when the scope closes. */
export const temporaryDirectory = Effect.acquireRelease(
  Effect.promise(() => Fs.promises.mkdtemp(Path.join(Os.tmpdir(), "pw-templates-test-"))),
  (directory) => Effect.promise(() => Fs.promises.rm(directory, { recursive: true, force: true }))
)

/** Time limit for the converter to shut down once a test file is done. */
const converterShutdownTimeout = "30 seconds"

/**
 * The real converter with its LibreOffice profiles in a temporary directory
 * and one instance. Its shutdown is bounded so that a slow stop cannot hold
 * the test file open.
 */
const converterLayer = Layer.scoped(
  PdfConverter,
  Effect.gen(function* () {
    const directory = yield* temporaryDirectory
    const settings = new Map([
      ["PW_DATA_DIR", directory],
      ["DOCSERVER_POOL_SIZE", "1"]
    ])
    const provider = ConfigProvider.fromMap(settings).pipe(ConfigProvider.orElse(() => ConfigProvider.fromEnv()))
    const scope = yield* Effect.acquireRelease(Scope.make(), (scope, exit) =>
      Scope.close(scope, exit).pipe(Effect.timeout(converterShutdownTimeout), Effect.ignore)
    )
    const context = yield* Layer.buildWithScope(
      PdfConverter.layer.pipe(Layer.provide(Layer.setConfigProvider(provider))),
      scope
    )
    return Context.get(context, PdfConverter)
  })
)

/** Text and page count of a template's rendered sample. */
export class SampleText extends Context.Tag("test/SampleText")<
  SampleText,
  { readonly text: string; readonly pages: number }
>() {}

const runPoppler = (tool: string, args: ReadonlyArray<string>) =>
  Effect.promise(() => execFile(tool, [...args], { timeout: popplerTimeoutMillis })).pipe(
    Effect.map(({ stdout }) => stdout)
  )

const readPdf = (pdf: Uint8Array) =>
  Effect.gen(function* () {
    const directory = yield* temporaryDirectory
    const pdfPath = Path.join(directory, "sample.pdf")
    yield* Effect.promise(() => Fs.promises.writeFile(pdfPath, pdf))
    const text = yield* runPoppler("pdftotext", ["-layout", pdfPath, "-"])
    const info = yield* runPoppler("pdfinfo", [pdfPath])
    return { text, pages: Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]) }
  }).pipe(Effect.scoped)

const sampleTextLayer = (slug: TemplateSlug) =>
  Layer.effect(
    SampleText,
    Effect.gen(function* () {
      const converter = yield* PdfConverter
      const docx = yield* renderTemplate(slug, readSample(slug))
      return yield* readPdf(yield* converter.convert(docx))
    })
  ).pipe(Layer.provide(converterLayer))

/**
 * Declares the golden-text tests of `slug`: the banner, at most two pages,
 * and one test per printed value of the sample.
 */
export const describeSampleText = (slug: TemplateSlug): void => {
  const expected = printedValues(sampleValues(slug))
  layer(sampleTextLayer(slug), { timeout: "180 seconds" })(`${slug} sample PDF`, (it) => {
    it.effect("prints the sample banner", () =>
      Effect.gen(function* () {
        const { text } = yield* SampleText
        expect(text).toContain("SAMPLE — not filed")
      })
    )

    it.effect("fits on two pages", () =>
      Effect.gen(function* () {
        const { pages } = yield* SampleText
        expect(pages).toBeLessThanOrEqual(2)
      })
    )

    for (const [field, value] of expected) {
      it.effect(`prints ${field}`, () =>
        Effect.gen(function* () {
          const { text } = yield* SampleText
          expect(normalizeText(text)).toContain(normalizeText(value))
        })
      )
    }
  })
}
