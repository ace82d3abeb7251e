/**
 * Packs a document body into a DOCX file with the paragraph styles every
 * template uses. The bytes depend only on the body: each ZIP entry carries
 * the same fixed timestamp, so rebuilding an unchanged template gives
 * identical bytes.
 */
import PizZip from "pizzip"

/** Timestamp of every ZIP entry. */
const entryDate = new Date("2025-01-01T00:00:00Z")

const wordNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
const relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
const xmlDeclaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

// US Letter (12240 x 15840 twentieths of a point) with 1-inch margins, which
// leaves 9360 twentieths of a point for text and tables.
const sectionProperties =
  '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/>' +
  '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/></w:sectPr>'

/** Width of the text area in twentieths of a point: table columns add up to this. */
export const textWidth = 9360

/** A paragraph style based on Normal with the given paragraph and run properties. */
const paragraphStyle = (id: string, name: string, paragraphProperties: string, runProperties: string): string =>
  `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/><w:basedOn w:val="Normal"/>` +
  `<w:next w:val="Normal"/><w:qFormat/><w:pPr>${paragraphProperties}</w:pPr><w:rPr>${runProperties}</w:rPr></w:style>`

// Times New Roman at 11 pt. LibreOffice substitutes the metric-compatible
// Liberation Serif when Times New Roman is not installed.
const stylesXml =
  xmlDeclaration +
  `<w:styles xmlns:w="${wordNamespace}">` +
  "<w:docDefaults><w:rPrDefault><w:rPr>" +
  '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/>' +
  '<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-US"/>' +
  "</w:rPr></w:rPrDefault>" +
  '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault>' +
  "</w:docDefaults>" +
  '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>' +
  paragraphStyle("Title", "Title", '<w:spacing w:before="0" w:after="60"/>', '<w:b/><w:sz w:val="28"/><w:szCs w:val="28"/>') +
  paragraphStyle("Subtitle", "Subtitle", '<w:spacing w:after="240"/>', '<w:sz w:val="24"/><w:szCs w:val="24"/>') +
  paragraphStyle(
    "Banner",
    "Sample Banner",
    '<w:spacing w:after="240"/>',
    '<w:b/><w:color w:val="C00000"/><w:sz w:val="24"/><w:szCs w:val="24"/>'
  ) +
  paragraphStyle("Field", "Field", '<w:spacing w:after="40"/>', "") +
  paragraphStyle("Section", "Section", '<w:spacing w:before="200" w:after="60"/>', "") +
  paragraphStyle("Body", "Body", '<w:spacing w:after="80"/>', "") +
  paragraphStyle("Signature", "Signature", '<w:spacing w:before="480" w:after="0"/>', "") +
  paragraphStyle("TableText", "Table Text", '<w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/>', "") +
  "</w:styles>"

const contentTypesXml =
  xmlDeclaration +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
  '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>' +
  "</Types>"

const packageRelationshipsXml =
  xmlDeclaration +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
  "</Relationships>"

const documentRelationshipsXml =
  xmlDeclaration +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
  "</Relationships>"

/**
 * Builds a DOCX whose body is `blocks` (paragraphs and tables from `Blocks`)
 * on US Letter pages with 1-inch margins. Same blocks, same bytes.
 */
export const docxPackage = (blocks: ReadonlyArray<string | ReadonlyArray<string>>): Uint8Array => {
  const documentXml =
    xmlDeclaration +
    `<w:document xmlns:w="${wordNamespace}" xmlns:r="${relationshipNamespace}">` +
    `<w:body>${blocks.flat().join("")}${sectionProperties}</w:body></w:document>`
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
  return zip.generate({ type: "uint8array", compression: "DEFLATE" })
}
