import * as Fs from "node:fs"
import * as Path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import PizZip from "pizzip"
import { documentTemplates } from "../src/DocumentTemplates.ts"
import { render, TemplateError } from "../src/DocxTemplate.ts"

const templatesDirectory = Path.resolve(import.meta.dirname, "../../../templates")
const certification = documentTemplates["cpni-certification"]
const certificationTemplate = Fs.readFileSync(Path.join(templatesDirectory, certification.file))
/** Values of the certification's sample, as the catalog maps them for docxtemplater. */
const sampleData: Record<string, unknown> = Either.getOrThrow(
  certification.decodeValues(JSON.parse(Fs.readFileSync(Path.join(templatesDirectory, certification.sampleFile), "utf8")))
)

/** Extracts the text of word/document.xml by removing XML tags, leaving entities as they are. */
const documentText = (docx: Uint8Array): string => {
  const xml = new PizZip(docx).file("word/document.xml")?.asText() ?? ""
  return xml.replace(/<[^>]+>/g, "")
}

/** Builds a DOCX with only the parts docxtemplater needs, with `bodyXml` as the document body. */
const minimalDocx = (bodyXml: string): Uint8Array => {
  const zip = new PizZip()
  zip.file(
    "[Content_Types].xml",
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
      "</Types>"
  )
  zip.file(
    "_rels/.rels",
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
      "</Relationships>"
  )
  zip.file(
    "word/document.xml",
    '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
      `<w:body>${bodyXml}</w:body></w:document>`
  )
  return zip.generate({ type: "uint8array" })
}

describe("DocxTemplate.render", () => {
  it.effect("fills the certification template", () =>
    Effect.gen(function* () {
      const docx = yield* render(certificationTemplate, sampleData)
      const text = documentText(docx)

      expect(text).toContain("Annual 47 C.F.R. § 64.2009(e) CPNI Certification")
      expect(text).toContain("EB Docket No. 06-36")
      expect(text).toContain("SAMPLE — not filed")
      expect(text).toContain("Annual 64.2009(e) CPNI Certification for 2024")
      expect(text).toContain("Example Telecom Holdings, LLC")
      expect(text).toContain("Form 499 Filer ID: 999101")
      expect(text).toContain("FRN: 9990000101")
      expect(text).toContain("Improper access by employees: 0")
      expect(text).not.toContain("{")

      const xml = new PizZip(docx).file("word/document.xml")?.asText() ?? ""
      const firstParagraph = xml.slice(xml.indexOf("<w:body>") + "<w:body>".length)
      expect(firstParagraph.startsWith('<w:p><w:pPr><w:pStyle w:val="Banner"/>')).toBe(true)
    })
  )

  it.effect("turns newlines into line breaks", () =>
    Effect.gen(function* () {
      const docx = yield* render(certificationTemplate, sampleData)
      const xml = new PizZip(docx).file("word/document.xml")?.asText() ?? ""

      expect(xml).toContain("100 Example Street, Suite 200</w:t></w:r><w:r><w:br/>")
    })
  )

  it.effect("removes the banner when sample is false", () =>
    Effect.gen(function* () {
      const docx = yield* render(certificationTemplate, { ...sampleData, sample: false })
      const xml = new PizZip(docx).file("word/document.xml")?.asText() ?? ""

      expect(xml).not.toContain("SAMPLE")
      const firstParagraph = xml.slice(xml.indexOf("<w:body>") + "<w:body>".length)
      expect(firstParagraph.startsWith('<w:p><w:pPr><w:pStyle w:val="Title"/>')).toBe(true)
      expect(documentText(docx)).toContain("Annual 47 C.F.R. § 64.2009(e) CPNI Certification")
    })
  )

  it.effect("escapes XML special characters", () =>
    Effect.gen(function* () {
      const docx = yield* render(certificationTemplate, { ...sampleData, legalName: 'AT&T <Test> "Quoted"' })
      const xml = new PizZip(docx).file("word/document.xml")?.asText() ?? ""

      expect(xml).toContain("AT&amp;T &lt;Test&gt;")
      expect(() => new PizZip(docx)).not.toThrow()
    })
  )

  it.effect("missing data names the tag", () =>
    Effect.gen(function* () {
      const { frn: _frn, ...withoutFrn } = sampleData
      const error = yield* Effect.flip(render(certificationTemplate, withoutFrn))

      expect(error).toBeInstanceOf(TemplateError)
      expect(error.missingTags).toEqual(["frn"])
      expect(error.message).toContain("frn")
    })
  )

  it.effect("null values and missing sections are errors", () =>
    Effect.gen(function* () {
      const { sample: _sample, ...withoutSample } = sampleData
      const error = yield* Effect.flip(render(certificationTemplate, { ...withoutSample, officerName: null }))

      expect(error.missingTags).toContain("sample")
      expect(error.missingTags).toContain("officerName")
      expect(error.missingTags.filter((tag) => tag === "officerName")).toHaveLength(1)
    })
  )

  it.effect("zero is a value, not missing", () =>
    Effect.gen(function* () {
      const template = minimalDocx("<w:p><w:r><w:t>Total: {total}</w:t></w:r></w:p>")
      const docx = yield* render(template, { total: 0 })

      expect(documentText(docx)).toBe("Total: 0")
    })
  )

  it.effect("non-ZIP template fails", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(render(new TextEncoder().encode("not a docx"), sampleData))

      expect(error._tag).toBe("TemplateError")
      expect(error.message).toContain("not a valid DOCX")
      expect(error.missingTags).toEqual([])
    })
  )

  it.effect("unclosed tag fails with explanation", () =>
    Effect.gen(function* () {
      const template = minimalDocx("<w:p><w:r><w:t>Hello {name</w:t></w:r></w:p>")
      const error = yield* Effect.flip(render(template, { name: "x" }))

      expect(error._tag).toBe("TemplateError")
      expect(error.message).toContain("Template is invalid")
      expect(error.message).toContain("name")
    })
  )
})
