import * as Fs from "node:fs"
import * as Path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import Docxtemplater from "docxtemplater"
import InspectModule from "docxtemplater/js/inspect-module.js"
import { ConfigProvider, Effect, Either, Layer } from "effect"
import PizZip from "pizzip"
import type { TemplateValues } from "../../src/DocumentTemplate.ts"
import {
  documentTemplates,
  renderTemplate,
  TemplateFileUnreadable,
  templateSlugs,
  templateValues
} from "../../src/DocumentTemplates.ts"
import { render } from "../../src/DocxTemplate.ts"
import { TemplateDataInvalid } from "../../src/TemplateDataInvalid.ts"
import { readSample, sampleValues, temporaryDirectory, templatesDirectory } from "./SampleText.ts"

const readTemplate = (slug: keyof typeof documentTemplates): Uint8Array =>
  Fs.readFileSync(Path.join(templatesDirectory, documentTemplates[slug].file))

/** Returns the tag tree of a DOCX as docxtemplater parses it: each tag maps to the tags inside it. */
const templateTags = (docx: Uint8Array): Record<string, unknown> => {
  const inspect = new InspectModule()
  new Docxtemplater(new PizZip(docx), { paragraphLoop: true, linebreaks: true, modules: [inspect] })
  return inspect.getAllTags()
}

/** The same tree for template values: loops map to the fields of their rows. */
const valueTags = (values: TemplateValues): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      typeof value === "string" || typeof value === "boolean"
        ? {}
        : Object.fromEntries(value.flatMap((row) => Object.keys(row)).map((field) => [field, {}]))
    ])
  )

const documentText = (docx: Uint8Array): string =>
  (new PizZip(docx).file("word/document.xml")?.asText() ?? "").replace(/<[^>]+>/g, "")

/** Returns a value of another JSON type than `value`. */
const mistyped = (value: unknown): unknown => {
  if (typeof value === "string") return 42
  if (typeof value === "number") return String(value)
  if (typeof value === "boolean") return "yes"
  if (Array.isArray(value)) return { entries: value }
  return "not an object"
}

const sampleObject = (slug: keyof typeof documentTemplates): Record<string, unknown> => {
  const sample = readSample(slug)
  return typeof sample === "object" && sample !== null ? { ...sample } : {}
}

describe("DocumentTemplates catalog", () => {
  it("keys match slugs", () => {
    expect(Object.values(documentTemplates).map((template) => template.slug)).toEqual(templateSlugs)
  })

  it("files follow the slug", () => {
    expect(Object.values(documentTemplates).map((template) => template.file)).toEqual(
      templateSlugs.map((slug) => `${slug}/template.docx`)
    )
  })
})

describe.each(templateSlugs)("%s template", (slug) => {
  it("sample decodes", () => {
    expect(Either.isRight(documentTemplates[slug].decodeValues(readSample(slug)))).toBe(true)
  })

  it.effect("sample fills every tag", () =>
    Effect.gen(function* () {
      const missingTags = yield* render(readTemplate(slug), { ...sampleValues(slug) }).pipe(
        Effect.as([]),
        Effect.catchTag("TemplateError", (error) => Effect.succeed(error.missingTags))
      )

      expect(missingTags).toEqual([])
    })
  )

  it("every value has a tag", () => {
    expect(templateTags(readTemplate(slug))).toEqual(valueTags(sampleValues(slug)))
  })

  it.effect("sample false drops the banner", () =>
    Effect.gen(function* () {
      const docx = yield* renderTemplate(slug, { ...sampleObject(slug), sample: false })

      expect(documentText(docx)).not.toContain("SAMPLE")
    })
  )

  it.effect("sample true prints the banner", () =>
    Effect.gen(function* () {
      const docx = yield* renderTemplate(slug, readSample(slug))

      expect(documentText(docx)).toContain("SAMPLE — not filed")
    })
  )

  describe.each(Object.keys(sampleObject(slug)))("field %s", (field) => {
    it.effect("missing is named", () =>
      Effect.gen(function* () {
        const { [field]: _removed, ...rest } = sampleObject(slug)
        const error = yield* Effect.flip(templateValues(slug, rest))

        expect(error).toBeInstanceOf(TemplateDataInvalid)
        expect(error.field).toBe(field)
        expect(error.message).toContain("missing")
      })
    )

    it.effect("mistyped is named", () =>
      Effect.gen(function* () {
        const input = sampleObject(slug)
        const error = yield* Effect.flip(templateValues(slug, { ...input, [field]: mistyped(input[field]) }))

        expect(error).toBeInstanceOf(TemplateDataInvalid)
        expect(error.field).toBe(field)
        expect(error.message).toContain(`at ${field}:`)
      })
    )
  })
})

describe("renderTemplate", () => {
  it.scoped("reads PW_TEMPLATES_DIR", () =>
    Effect.gen(function* () {
      const directory = yield* temporaryDirectory
      const provider = ConfigProvider.fromMap(new Map([["PW_TEMPLATES_DIR", directory]]))

      const error = yield* Effect.flip(
        renderTemplate("invoice", readSample("invoice")).pipe(Effect.provide(Layer.setConfigProvider(provider)))
      )

      expect(error).toBeInstanceOf(TemplateFileUnreadable)
      expect(error.message).toContain(Path.join(directory, "invoice", "template.docx"))
    })
  )

  it.scoped("bad data fails before reading", () =>
    Effect.gen(function* () {
      const directory = yield* temporaryDirectory
      const provider = ConfigProvider.fromMap(new Map([["PW_TEMPLATES_DIR", directory]]))

      const error = yield* Effect.flip(
        renderTemplate("invoice", { ...sampleObject("invoice"), discount: -1 }).pipe(
          Effect.provide(Layer.setConfigProvider(provider))
        )
      )

      expect(error).toBeInstanceOf(TemplateDataInvalid)
    })
  )
})
