/**
 * Imports of the three FCC data sets into PostgreSQL, each with the date
 * the data describes. Bulk files replace their whole data set; a CORES page
 * replaces the record of its FRN.
 */
import { SqlClient } from "@effect/sql"
import type { Frn } from "@pw/domain/Carrier"
import type { LocalDate } from "@pw/domain/compliance/PlannedEntry"
import { Effect, Option } from "effect"
import { type BulkDataset, importBulk } from "./BulkImport.ts"
import * as CoresPageReader from "./CoresPageReader.ts"
import { sha256OfFile } from "./FileDigest.ts"
import * as Form499Reader from "./Form499Reader.ts"
import { ImportSummary } from "./ImportSummary.ts"
import { FileUnreadable } from "./ReadResult.ts"
import type { Form499Filer, RmdFiling } from "./Records.ts"
import * as RmdReader from "./RmdReader.ts"

/** The Form 499 Filer Database, keyed by 499 Filer ID. */
export const form499Dataset: BulkDataset<Form499Filer> = {
  dataset: "form499",
  table: "form499_filers",
  open: Form499Reader.open,
  toRow: (filer, row) => ({
    filer_id: filer.filerId,
    frn: filer.frn,
    legal_name: filer.legalName,
    doing_business_as: Option.getOrNull(filer.doingBusinessAs),
    last_filing: Option.getOrNull(filer.lastFiling),
    usf_contributor: filer.usfContributor,
    principal_comm_type: Option.getOrNull(filer.principalCommType),
    holding_company: Option.getOrNull(filer.holdingCompany),
    hq_address: Option.getOrNull(filer.hqAddress),
    hq_city: Option.getOrNull(filer.hqCity),
    hq_state: Option.getOrNull(filer.hqState),
    hq_zip_code: Option.getOrNull(filer.hqZipCode),
    dc_agent: Option.getOrNull(filer.dcAgent),
    dc_agent_address: Option.getOrNull(filer.dcAgentAddress),
    jurisdictions: filer.jurisdictions,
    source_row: row
  }),
  uniqueKey: { column: "Filer_499_ID", of: (filer) => filer.filerId }
}

/** The Robocall Mitigation Database's published filings, one row per filing. */
export const rmdDataset: BulkDataset<RmdFiling> = {
  dataset: "rmd",
  table: "rmd_filings",
  open: RmdReader.open,
  toRow: (filing, row) => ({
    source_row: row,
    frn: filing.frn,
    business_name: filing.businessName,
    implementation: Option.getOrNull(filing.implementation),
    voice_service_provider: Option.getOrNull(filing.voiceServiceProvider),
    gateway_provider: Option.getOrNull(filing.gatewayProvider),
    non_gateway_intermediate_provider: Option.getOrNull(filing.nonGatewayIntermediateProvider),
    foreign_voice_provider: Option.getOrNull(filing.foreignVoiceProvider),
    other_frns: filing.otherFrns,
    last_updated: Option.getOrNull(filing.lastUpdated),
    last_recertified: Option.getOrNull(filing.lastRecertified)
  })
}

/** Replaces the Form 499 Filer Database with the XLSX export at `path`. */
export const importForm499 = Effect.fn("FccImport.importForm499")((path: string, asOf: LocalDate) =>
  importBulk(form499Dataset, path, asOf)
)

/** Replaces the Robocall Mitigation Database with the CSV export at `path`. */
export const importRmd = Effect.fn("FccImport.importRmd")((path: string, asOf: LocalDate) => importBulk(rmdDataset, path, asOf))

/**
 * Stores the CORES page at `path` as the record of its FRN: the FRN on the
 * page, else `frn`, else the one in the file name (`frn-0000000000-....html`).
 * A page whose FRN differs from `frn` is refused.
 */
export const importCoresPage = Effect.fn("FccImport.importCoresPage")(function*(path: string, asOf: LocalDate, frn?: Frn) {
  const sql = yield* SqlClient.SqlClient
  const page = yield* CoresPageReader.open(path)
  const pageFrn = page._tag === "CoresRegistration" ? Option.some(page.frn) : Option.none<Frn>()
  const given = Option.orElse(Option.fromNullable(frn), () => CoresPageReader.frnFromFileName(path))
  if (Option.isSome(pageFrn) && Option.isSome(given) && pageFrn.value !== given.value) {
    return yield* new FileUnreadable({
      file: path,
      message: `the page is the registration of FRN ${pageFrn.value}, not ${given.value}; import it under its own FRN`
    })
  }
  const target = Option.orElse(pageFrn, () => given)
  if (Option.isNone(target)) {
    return yield* new FileUnreadable({
      file: path,
      message: "the page has no registration and names no FRN; give the FRN, or name the file frn-<10 digits>.html"
    })
  }
  const sha256 = yield* sha256OfFile(path)
  const current = yield* sql<{ sha256: string; as_of: string }>`
    SELECT i.sha256, c.as_of::text AS as_of FROM cores_registrations c JOIN fcc_imports i ON i.id = c.import_id
    WHERE c.frn = ${target.value}`
  const summary = (importId: number | undefined, unchanged: boolean) =>
    new ImportSummary({
      dataset: "cores",
      file: path,
      asOf,
      ...(importId === undefined ? {} : { importId }),
      unchanged,
      records: unchanged ? 0 : 1,
      rejectedCount: 0,
      rejections: [],
      ignoredColumns: []
    })
  if (current[0] !== undefined && current[0].sha256 === sha256 && current[0].as_of === asOf) {
    return summary(undefined, true)
  }
  return yield* sql.withTransaction(Effect.gen(function*() {
    const recorded = yield* sql<{ id: string }>`
      INSERT INTO fcc_imports (dataset, source_file, sha256, as_of, records, rejected)
      VALUES ('cores', ${path}, ${sha256}, ${asOf}, 1, 0)
      RETURNING id`
    const importId = Number(recorded[0]?.id)
    const registration = page._tag === "CoresRegistration" ? page : undefined
    const row = {
      frn: target.value,
      found: registration !== undefined,
      entity_name: registration?.entityName ?? null,
      entity_type: registration === undefined ? null : Option.getOrNull(registration.entityType),
      registration_date: registration === undefined ? null : Option.getOrNull(registration.registrationDate),
      last_updated: registration === undefined ? null : Option.getOrNull(registration.lastUpdated),
      contact_organization: registration === undefined ? null : Option.getOrNull(registration.contactOrganization),
      contact_address: registration === undefined ? null : Option.getOrNull(registration.contactAddress),
      as_of: asOf,
      import_id: importId
    }
    yield* sql`
      INSERT INTO cores_registrations ${sql.insert(row)}
      ON CONFLICT (frn) DO UPDATE SET found = EXCLUDED.found, entity_name = EXCLUDED.entity_name,
        entity_type = EXCLUDED.entity_type, registration_date = EXCLUDED.registration_date,
        last_updated = EXCLUDED.last_updated, contact_organization = EXCLUDED.contact_organization,
        contact_address = EXCLUDED.contact_address, as_of = EXCLUDED.as_of, import_id = EXCLUDED.import_id`
    return summary(importId, false)
  }))
}, (effect, path) => Effect.annotateLogs(effect, { dataset: "cores", file: path }))
