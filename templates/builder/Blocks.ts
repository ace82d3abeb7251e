/**
 * WordprocessingML building blocks for the document templates: runs,
 * paragraphs, tables and docxtemplater loops, as XML strings.
 *
 * Every `{placeholder}` in a text becomes a run of its own. Word splits typed
 * text into runs at arbitrary points, which breaks placeholders for
 * docxtemplater; writing the XML here keeps each tag whole.
 */

/** Text in one formatting: plain, or bold with `bold(…)`. */
export interface Span {
  readonly text: string
  readonly bold: boolean
}

/** Inline content: a plain string or a `Span`. Placeholders may appear anywhere in the text. */
export type Inline = string | Span

/** One or several pieces of inline content. */
export type Content = Inline | ReadonlyArray<Inline>

/** Marks `text` as bold. */
export const bold = (text: string): Span => ({ text, bold: true })

const escapeXml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")

/** Builds one `w:r` run. `xml:space="preserve"` keeps leading and trailing spaces. */
const run = (text: string, isBold: boolean): string => {
  const properties = isBold ? "<w:rPr><w:b/></w:rPr>" : ""
  return `<w:r>${properties}<w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`
}

/** Splits text before and after each `{tag}`, so that every tag is a run of its own. */
const runs = (inline: Inline): string => {
  const span = typeof inline === "string" ? { text: inline, bold: false } : inline
  return span.text
    .split(/(\{[^{}]*\})/)
    .filter((piece) => piece !== "")
    .map((piece) => run(piece, span.bold))
    .join("")
}

const inlines = (content: Content): ReadonlyArray<Inline> => {
  if (typeof content === "string" || "text" in content) return [content]
  return content
}

/** Paragraph formatting. */
export interface ParagraphOptions {
  /** Paragraph style id defined in `DocxPackage`, such as `Title` or `Field`. */
  readonly style?: string
  /** Keeps the paragraph on the same page as the next one, such as a heading and its text. */
  readonly keepNext?: boolean
  /** Left indent in twentieths of a point (720 = 0.5 inch). */
  readonly indent?: number
  readonly align?: "center" | "both" | "right"
}

/** Builds one `w:p` paragraph of the given content. */
export const paragraph = (content: Content, options: ParagraphOptions = {}): string => {
  const properties = [
    options.style === undefined ? "" : `<w:pStyle w:val="${options.style}"/>`,
    options.keepNext === true ? "<w:keepNext/>" : "",
    options.indent === undefined ? "" : `<w:ind w:left="${options.indent}"/>`,
    options.align === undefined ? "" : `<w:jc w:val="${options.align}"/>`
  ].join("")
  const propertiesXml = properties === "" ? "" : `<w:pPr>${properties}</w:pPr>`
  return `<w:p>${propertiesXml}${inlines(content).map(runs).join("")}</w:p>`
}

/** A centred document title. */
export const title = (text: string): string => paragraph(text, { style: "Title", align: "center" })

/** A centred line under the title, such as the rule a document is filed under. */
export const subtitle = (text: string): string => paragraph(text, { style: "Subtitle", align: "center" })

/** A bold section heading kept on the page of the text that follows it. */
export const heading = (text: string): string => paragraph(bold(text), { style: "Section", keepNext: true })

/** A justified body paragraph. */
export const body = (content: Content): string => paragraph(content, { style: "Body", align: "both" })

/** A bold label followed by a value on one line, for example "FRN: {frn}". */
export const field = (label: string, value: string): string => paragraph([bold(`${label} `), value], { style: "Field" })

/** An indented list item starting with a bullet. */
export const bullet = (content: Content): string => paragraph(["•  ", ...inlines(content)], { style: "Field", indent: 360 })

/** A paragraph of its own: the signature line, then name and title below it. */
export const signature = (nameAndTitle: Content): ReadonlyArray<string> => [
  paragraph("______________________________", { style: "Signature", keepNext: true }),
  paragraph(nameAndTitle, { style: "Field" })
]

/**
 * Repeats `blocks` for each element of the array `name`, or keeps them once
 * when `name` is `true`. The loop tags sit in paragraphs of their own, which
 * docxtemplater's `paragraphLoop` removes from the output.
 */
export const loop = (name: string, blocks: ReadonlyArray<string>): ReadonlyArray<string> => [
  paragraph(`{#${name}}`),
  ...blocks,
  paragraph(`{/${name}}`)
]

/** The red "SAMPLE — not filed" banner, printed only when `sample` is true. */
export const sampleBanner: ReadonlyArray<string> = loop("sample", [
  paragraph(bold("SAMPLE — not filed"), { style: "Banner", align: "center" })
])

/** A table column: header text, width in twentieths of a point, and alignment of its cells. */
export interface Column {
  readonly header: string
  readonly width: number
  readonly align?: "right"
}

/** A table row: one content per column. */
export interface Row {
  readonly cells: ReadonlyArray<Content>
  /** Array value whose elements each repeat this row. */
  readonly loop?: string
  readonly bold?: boolean
}

const boldContent = (content: Content): ReadonlyArray<Inline> =>
  inlines(content).map((inline) => (typeof inline === "string" ? bold(inline) : inline))

const cell = (content: Content, column: Column | undefined, isBold: boolean): string => {
  const width = column?.width ?? 0
  const alignment = column?.align === undefined ? {} : { align: column.align }
  return (
    `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/></w:tcPr>` +
    `${paragraph(isBold ? boldContent(content) : content, { style: "TableText", ...alignment })}</w:tc>`
  )
}

const rowXml = (columns: ReadonlyArray<Column>, row: Row, isHeader: boolean): string => {
  const lastIndex = row.cells.length - 1
  const cells = row.cells.map((content, index) => {
    const opened = row.loop !== undefined && index === 0 ? [`{#${row.loop}}`, ...inlines(content)] : inlines(content)
    const closed = row.loop !== undefined && index === lastIndex ? [...opened, `{/${row.loop}}`] : opened
    return cell(closed, columns[index], isHeader || row.bold === true)
  })
  const properties = isHeader ? "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" : "<w:trPr><w:cantSplit/></w:trPr>"
  return `<w:tr>${properties}${cells.join("")}</w:tr>`
}

const border = (side: string): string => `<w:${side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>`

/**
 * Builds a table with a bold header row from `columns` and then `rows`. A row
 * with `loop` is repeated for each element of that array, because
 * docxtemplater repeats a table row whose loop opens in its first cell and
 * closes in its last.
 */
export const table = (columns: ReadonlyArray<Column>, rows: ReadonlyArray<Row>): string => {
  const width = columns.reduce((sum, column) => sum + column.width, 0)
  const properties =
    `<w:tblPr><w:tblW w:w="${width}" w:type="dxa"/>` +
    `<w:tblBorders>${["top", "bottom", "insideH"].map(border).join("")}</w:tblBorders>` +
    '<w:tblLayout w:type="fixed"/>' +
    '<w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr>'
  const grid = `<w:tblGrid>${columns.map((column) => `<w:gridCol w:w="${column.width}"/>`).join("")}</w:tblGrid>`
  const header = rowXml(columns, { cells: columns.map((column) => column.header) }, true)
  return `<w:tbl>${properties}${grid}${header}${rows.map((row) => rowXml(columns, row, false)).join("")}</w:tbl>`
}
