/**
 * Writes templates/cpni-certification.docx, the docxtemplater template of the
 * annual CPNI certification filed under 47 C.F.R. § 64.2009(e).
 *
 * Run from the repository root: `npx tsx templates/build-cpni-certification.ts`.
 *
 * The DOCX is written part by part so that every `{placeholder}` sits in one
 * text run. Word splits typed text into runs at arbitrary points, which breaks
 * placeholders for docxtemplater.
 */
import * as Fs from "node:fs"
import PizZip from "pizzip"

const outputUrl = new URL("./cpni-certification.docx", import.meta.url)

/** Timestamp of every ZIP entry, fixed so that rebuilding gives identical bytes. */
const entryDate = new Date("2025-01-01T00:00:00Z")

const wordNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
const relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

const escapeXml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")

interface RunOptions {
  readonly bold?: boolean
}

/** Builds one `w:r` run. `xml:space="preserve"` keeps leading and trailing spaces. */
const run = (text: string, options: RunOptions = {}): string => {
  const properties = options.bold === true ? "<w:rPr><w:b/></w:rPr>" : ""
  return `<w:r>${properties}<w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`
}

interface ParagraphOptions {
  readonly style?: string
  readonly align?: "center" | "both"
  /** Left indent in twentieths of a point (720 = 0.5 inch). */
  readonly indent?: number
  /** Paragraphs that stay on the same page as the next one, such as a label and its text. */
  readonly keepNext?: boolean
}

/** Builds one `w:p` paragraph from the given runs. */
const paragraph = (runs: ReadonlyArray<string>, options: ParagraphOptions = {}): string => {
  const properties = [
    options.style === undefined ? "" : `<w:pStyle w:val="${options.style}"/>`,
    options.keepNext === true ? "<w:keepNext/>" : "",
    options.indent === undefined ? "" : `<w:ind w:left="${options.indent}"/>`,
    options.align === undefined ? "" : `<w:jc w:val="${options.align}"/>`
  ].join("")
  const propertiesXml = properties === "" ? "" : `<w:pPr>${properties}</w:pPr>`
  return `<w:p>${propertiesXml}${runs.join("")}</w:p>`
}

/** Builds a paragraph of a bold label and a placeholder, for example "FRN: {frn}". */
const labelled = (label: string, placeholder: string): string =>
  paragraph([run(`${label} `, { bold: true }), run(placeholder)], { style: "Field" })

const complaintItem = (label: string, placeholder: string): string =>
  paragraph([run(`•  ${label}: `), run(placeholder)], { indent: 360, style: "Field" })

const body = [
  // With paragraphLoop, paragraphs holding only a loop tag are removed, so the
  // banner leaves no empty line when `sample` is false.
  paragraph([run("{#sample}")]),
  paragraph([run("SAMPLE — not filed", { bold: true })], { style: "Banner", align: "center" }),
  paragraph([run("{/sample}")]),

  paragraph([run("Annual 47 C.F.R. § 64.2009(e) CPNI Certification")], { style: "Title", align: "center" }),
  paragraph([run("EB Docket No. 06-36")], { style: "Subtitle", align: "center" }),

  paragraph([run("Annual 64.2009(e) CPNI Certification for "), run("{calendarYear}")], { style: "Field" }),
  labelled("Date filed:", "{preparedOn}"),
  labelled("Name of company covered by this certification:", "{legalName}"),
  labelled("Form 499 Filer ID:", "{filer499Id}"),
  labelled("FRN:", "{frn}"),
  labelled("Address:", "{address}"),
  labelled("Name of signatory:", "{officerName}"),
  labelled("Title of signatory:", "{officerTitle}"),

  paragraph(
    [
      run("Certification. ", { bold: true }),
      run("I, "),
      run("{officerName}"),
      run(", certify that I am an officer of "),
      run("{legalName}"),
      run(
        " and, acting as an agent of the company, that I have personal knowledge that the company has established operating procedures that are adequate to ensure compliance with the Commission’s CPNI rules, 47 C.F.R. § 64.2001 et seq."
      )
    ],
    { style: "Section", align: "both" }
  ),

  paragraph([run("Statement of operating procedures:", { bold: true })], { style: "Section", keepNext: true }),
  paragraph([run("{operatingProcedures}")], { align: "both" }),

  paragraph([run("Actions taken against data brokers:", { bold: true })], { style: "Section", keepNext: true }),
  paragraph([run("{dataBrokerActions}")], { align: "both" }),

  paragraph(
    [
      run("Customer complaints concerning the unauthorized release of CPNI received in ", { bold: true }),
      run("{calendarYear}", { bold: true }),
      run(":", { bold: true })
    ],
    { style: "Section", keepNext: true }
  ),
  complaintItem("Improper access by employees", "{complaintsEmployees}"),
  complaintItem("Improper disclosure to unauthorized individuals", "{complaintsDisclosure}"),
  complaintItem("Improper access to online information by unauthorized individuals", "{complaintsOnline}"),
  paragraph([run("•  Total: ", { bold: true }), run("{complaintsTotal}", { bold: true })], { indent: 360 }),

  paragraph([run("Signed: ______________________________  "), run("{officerName}"), run(", "), run("{officerTitle}")], {
    style: "Signature"
  })
].join("")

// US Letter (12240 x 15840 twentieths of a point) with 1-inch margins.
const sectionProperties =
  '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/>' +
  '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr>'

const documentXml =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  `<w:document xmlns:w="${wordNamespace}" xmlns:r="${relationshipNamespace}">` +
  `<w:body>${body}${sectionProperties}</w:body></w:document>`

/** Builds a paragraph style based on Normal with the given paragraph and run properties. */
const paragraphStyle = (id: string, name: string, paragraphProperties: string, runProperties: string): string =>
  `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/><w:basedOn w:val="Normal"/>` +
  `<w:next w:val="Normal"/><w:qFormat/><w:pPr>${paragraphProperties}</w:pPr><w:rPr>${runProperties}</w:rPr></w:style>`

// Times New Roman at 11 pt. LibreOffice substitutes the metric-compatible
// Liberation Serif when Times New Roman is not installed.
const stylesXml =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  `<w:styles xmlns:w="${wordNamespace}">` +
  "<w:docDefaults><w:rPrDefault><w:rPr>" +
  '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/>' +
  '<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-US"/>' +
  "</w:rPr></w:rPrDefault>" +
  '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault>' +
  "</w:docDefaults>" +
  '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>' +
  paragraphStyle(
    "Title",
    "Title",
    '<w:spacing w:before="0" w:after="60"/>',
    '<w:b/><w:sz w:val="28"/><w:szCs w:val="28"/>'
  ) +
  paragraphStyle("Subtitle", "Subtitle", '<w:spacing w:after="240"/>', '<w:sz w:val="24"/><w:szCs w:val="24"/>') +
  paragraphStyle(
    "Banner",
    "Sample Banner",
    '<w:spacing w:after="240"/>',
    '<w:b/><w:color w:val="C00000"/><w:sz w:val="24"/><w:szCs w:val="24"/>'
  ) +
  paragraphStyle("Field", "Field", '<w:spacing w:after="40"/>', "") +
  paragraphStyle("Section", "Section", '<w:spacing w:before="200" w:after="60"/>', "") +
  paragraphStyle("Signature", "Signature", '<w:spacing w:before="480"/>', "") +
  "</w:styles>"

const contentTypesXml =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
  '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>' +
  "</Types>"

const packageRelationshipsXml =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
  "</Relationships>"

const documentRelationshipsXml =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
  "</Relationships>"

const zip = new PizZip()
const parts: ReadonlyArray<readonly [string, string]> = [
  ["[Content_Types].xml", contentTypesXml],
  ["_rels/.rels", packageRelationshipsXml],
  ["word/document.xml", documentXml],
  ["word/_rels/document.xml.rels", documentRelationshipsXml],
  ["word/styles.xml", stylesXml]
]
for (const [name, xml] of parts) {
  zip.file(name, Buffer.from(xml, "utf8"), { date: entryDate, binary: true })
}

const docx = zip.generate({ type: "nodebuffer", compression: "DEFLATE" })
Fs.writeFileSync(outputUrl, docx)
console.log(`Wrote ${outputUrl.pathname} (${docx.byteLength} bytes)`)
