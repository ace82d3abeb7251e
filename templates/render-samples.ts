/**
 * Renders every template's `sample.json` and converts it to PDF:
 * `npx tsx templates/render-samples.ts DIRECTORY` writes
 * `DIRECTORY/<slug>.docx` and `DIRECTORY/<slug>.pdf` for each template, on
 * the warm LibreOffice pool (its profiles are kept under `PW_DATA_DIR`).
 */
import { NodeRuntime } from "@effect/platform-node"
import { documentTemplates, renderTemplate, TemplatesDirectory, templateSlugs } from "@pw/documents/DocumentTemplates"
import { PdfConverter } from "@pw/documents/PdfConverter"
import { Effect } from "effect"
import * as Fs from "node:fs/promises"
import * as Path from "node:path"

const outputDirectory = process.argv[2]

const program = Effect.gen(function* () {
  if (outputDirectory === undefined) {
    return yield* Effect.fail(new Error("Usage: npx tsx templates/render-samples.ts DIRECTORY"))
  }
  const templatesDirectory = yield* TemplatesDirectory
  const converter = yield* PdfConverter
  yield* Effect.promise(() => Fs.mkdir(outputDirectory, { recursive: true }))

  for (const slug of templateSlugs) {
    const samplePath = Path.join(templatesDirectory, documentTemplates[slug].sampleFile)
    const sample: unknown = JSON.parse(yield* Effect.promise(() => Fs.readFile(samplePath, "utf8")))
    const docx = yield* renderTemplate(slug, sample)
    const pdf = yield* converter.convert(docx)
    yield* Effect.promise(() => Fs.writeFile(Path.join(outputDirectory, `${slug}.docx`), docx))
    yield* Effect.promise(() => Fs.writeFile(Path.join(outputDirectory, `${slug}.pdf`), pdf))
    yield* Effect.annotateLogs(Effect.logInfo("sample rendered"), { template: slug, pdfBytes: pdf.byteLength })
  }
})

NodeRuntime.runMain(program.pipe(Effect.provide(PdfConverter.layer)))
