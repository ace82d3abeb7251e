/**
 * Documents, PDF inspection with poppler-utils, and process checks shared by
 * the LibreOffice converter tests.
 */
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs/promises"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Util from "node:util"
import { ConfigProvider, Context, Duration, Effect, Layer } from "effect"
import PizZip from "pizzip"
import { render } from "../src/DocxTemplate.ts"

const execFile = Util.promisify(ChildProcess.execFile)

const templatesDirectory = Path.resolve(import.meta.dirname, "../../../templates")

/** A fresh directory under the system temp directory, removed when the scope closes. */
export const tempDirectory = Effect.acquireRelease(
  Effect.promise(() => Fs.mkdtemp(Path.join(Os.tmpdir(), "pw-documents-test-"))),
  (directory) => Effect.promise(() => Fs.rm(directory, { recursive: true, force: true }))
)

/** Data directory of a test file's converter, removed when the file's layer closes. */
export class TestDataDirectory extends Context.Tag("@pw/documents/test/TestDataDirectory")<TestDataDirectory, string>() {
  static readonly layer = Layer.scoped(TestDataDirectory, tempDirectory)
}

/**
 * Provides `layer` with a config provider holding `PW_DATA_DIR` (a fresh
 * `TestDataDirectory`) and `settings`, and keeps the directory in the output
 * until the layer is closed.
 */
export const withTestConfig = <A, E, R>(layer: Layer.Layer<A, E, R>, settings: Record<string, string>) =>
  Layer.unwrapEffect(
    Effect.map(TestDataDirectory, (dataDirectory) =>
      layer.pipe(Layer.provide(configProvider({ PW_DATA_DIR: dataDirectory, ...settings })))
    )
  ).pipe(Layer.provideMerge(TestDataDirectory.layer))

/** A layer that sets the config provider to exactly `settings`. */
export const configProvider = (settings: Record<string, string>) =>
  Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(settings))))

/**
 * Reads the CPNI certification template: the DOCX in
 * templates/cpni-certification/ when that folder has one, otherwise
 * templates/cpni-certification.docx.
 */
export const readCertificationTemplate = Effect.promise(async () => {
  const folder = Path.join(templatesDirectory, "cpni-certification")
  const folderTemplate = (await Fs.readdir(folder).catch(() => [])).find((name) => name.endsWith(".docx"))
  return Fs.readFile(
    folderTemplate === undefined
      ? Path.join(templatesDirectory, "cpni-certification.docx")
      : Path.join(folder, folderTemplate)
  )
})

/** Values for every tag of the certification template, for a fictional carrier. */
export const certificationData: Record<string, unknown> = {
  legalName: "Example Telecom Holdings, LLC",
  frn: "0012345678",
  filer499Id: "831234",
  address: "100 Example Street, Suite 200\nAustin, TX 78701",
  officerName: "Jordan A. Rivera",
  officerTitle: "Chief Executive Officer",
  calendarYear: 2024,
  preparedOn: "February 14, 2025",
  operatingProcedures:
    "The company trains every employee with access to CPNI on the Commission's CPNI rules and disciplines violations.",
  dataBrokerActions: "The company took no actions against data brokers in 2024.",
  complaintsEmployees: 0,
  complaintsDisclosure: 0,
  complaintsOnline: 0,
  complaintsTotal: 0,
  sample: true
}

/** Builds a DOCX with only the parts LibreOffice and docxtemplater need, with `bodyXml` as the document body. */
export const minimalDocx = (bodyXml: string): Uint8Array => {
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
  return zip.generate({ type: "uint8array", compression: "DEFLATE" })
}

const paragraph = (text: string): string => `<w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`

/** A one-page letter template with a `{legalName}` tag. */
const letterTemplate = minimalDocx(
  paragraph("Certificate of good standing") + paragraph("Issued to {legalName}.") + paragraph("Example Registry")
)

/** Renders a one-page DOCX naming `legalName`, through `render` like the real templates. */
export const letterFor = (legalName: string) => render(letterTemplate, { legalName })

/**
 * A DOCX of `count` wrapped paragraphs. LibreOffice 7.4 needed about 14
 * seconds on a two-core machine to convert 60,000 of them (2,400 pages).
 */
export const longDocx = (count: number): Uint8Array =>
  minimalDocx(
    paragraph("Filler text for a long conversion, long enough to wrap over more than one line of the page.").repeat(count)
  )

/** Writes `pdf` to a temporary file and runs a poppler tool on it, returning its stdout. */
const runPoppler = (tool: "pdftotext" | "pdfinfo", args: ReadonlyArray<string>, pdf: Uint8Array) =>
  Effect.gen(function* () {
    const directory = yield* tempDirectory
    const pdfPath = Path.join(directory, "out.pdf")
    yield* Effect.promise(() => Fs.writeFile(pdfPath, pdf))
    const { stdout } = yield* Effect.promise(() => execFile(tool, [...args, pdfPath, ...(tool === "pdftotext" ? ["-"] : [])]))
    return stdout
  }).pipe(Effect.scoped)

/** Extracts the text of a PDF with poppler's pdftotext. */
export const pdfText = (pdf: Uint8Array) => runPoppler("pdftotext", ["-layout"], pdf)

/** Number of pages pdfinfo reads from a PDF; the effect dies when pdfinfo rejects the file. */
export const pdfPageCount = (pdf: Uint8Array) =>
  Effect.map(runPoppler("pdfinfo", [], pdf), (stdout) => Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1]))

/** Names of the converters' work directories currently under the system temp directory. */
export const conversionDirectories = Effect.promise(async () =>
  (await Fs.readdir(Os.tmpdir())).filter((name) => name.startsWith("pw-pdf-"))
)

/** Pids of processes in the given process groups that are alive (not zombies), read from /proc. */
export const livingProcessesInGroups = (groups: ReadonlyArray<number>) =>
  Effect.promise(async () => {
    const living: Array<number> = []
    for (const name of await Fs.readdir("/proc")) {
      if (!/^\d+$/.test(name)) {
        continue
      }
      const stat = await Fs.readFile(`/proc/${name}/stat`, "utf8").catch(() => "")
      // After the command name in parentheses come state, ppid and pgrp.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
      if (fields[0] !== undefined && fields[0] !== "Z" && groups.includes(Number(fields[2]))) {
        living.push(Number(name))
      }
    }
    return living
  })

/** Runs `effect` every 50 ms until `done` returns true or 30 seconds pass, and returns the last result. */
export const pollUntil = <A, E, R>(effect: Effect.Effect<A, E, R>, done: (value: A) => boolean) =>
  Effect.gen(function* () {
    const deadline = Date.now() + 30_000
    let value = yield* effect
    while (!done(value) && Date.now() < deadline) {
      yield* Effect.sleep(Duration.millis(50))
      value = yield* effect
    }
    return value
  })
