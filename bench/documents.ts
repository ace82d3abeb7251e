/**
 * The benchmark's input: 20 two-page DOCX documents rendered from the CPNI
 * certification template, each for a different fictional carrier.
 */
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { render } from "@pw/documents/DocxTemplate"
import { Effect } from "effect"

const templatesDirectory = Path.resolve(import.meta.dirname, "../templates")

/** Number of documents each conversion path converts. */
export const documentCount = 20

/** Pages each rendered document has after conversion. */
export const expectedPageCount = 2

const procedures =
  "The company trains every employee with access to CPNI on the Commission's CPNI rules and disciplines violations. " +
  "Customers are authenticated before call detail information is disclosed, and CPNI is not used for marketing without the required customer approval. " +
  "A supervisor reviews each outbound marketing campaign, and records of approvals, campaigns and disclosures are kept for at least one year."

/**
 * Values for every tag of the certification template. The procedures
 * statement is repeated so that the document fills two pages.
 */
const dataFor = (legalName: string): Record<string, unknown> => ({
  legalName,
  frn: "0012345678",
  filer499Id: "831234",
  address: "100 Example Street, Suite 200\nAustin, TX 78701",
  officerName: "Jordan A. Rivera",
  officerTitle: "Chief Executive Officer",
  calendarYear: 2024,
  preparedOn: "February 14, 2025",
  operatingProcedures: Array.from({ length: 6 }, () => procedures).join("\n\n"),
  dataBrokerActions: "The company took no actions against data brokers in 2024.",
  complaintsEmployees: 0,
  complaintsDisclosure: 0,
  complaintsOnline: 0,
  complaintsTotal: 0,
  sample: true
})

/** Reads the DOCX in templates/cpni-certification/ when that folder has one, otherwise templates/cpni-certification.docx. */
const readTemplate = Effect.promise(async () => {
  const folder = Path.join(templatesDirectory, "cpni-certification")
  const folderTemplate = (await Fs.readdir(folder).catch(() => [])).find((name) => name.endsWith(".docx"))
  return Fs.readFile(
    folderTemplate === undefined
      ? Path.join(templatesDirectory, "cpni-certification.docx")
      : Path.join(folder, folderTemplate)
  )
})

/** Renders the 20 documents, fails with `TemplateError` when the template's tags changed. */
export const renderDocuments = Effect.fn("bench.renderDocuments")(function* () {
  const template = yield* readTemplate
  return yield* Effect.forEach(Array.from({ length: documentCount }, (_, index) => index + 1), (number) =>
    render(template, dataFor(`Benchmark Carrier ${String(number).padStart(2, "0")}, LLC`))
  )
})
