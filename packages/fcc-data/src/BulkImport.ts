/**
 * Replaces a bulk data set (the Form 499 Filer Database or the Robocall
 * Mitigation Database) in one transaction: the old rows are deleted, the new
 * file is streamed in batches, and the import is recorded. A file that
 * cannot be read rolls everything back, so the previous data set stays.
 */
import { SqlClient } from "@effect/sql"
import type { LocalDate } from "@pw/domain/compliance/PlannedEntry"
import { Chunk, Effect, type Scope, Stream } from "effect"
import { sha256OfFile } from "./FileDigest.ts"
import { ImportSummary, keptRejections } from "./ImportSummary.ts"
import { type FileUnreadable, type ReadResult, RowRejected } from "./ReadResult.ts"

/** Rows per INSERT statement. */
const batchSize = 500

/** A reader's opened file: its unused columns and its rows. */
export interface OpenedRows<A> {
  readonly ignoredColumns: ReadonlyArray<string>
  readonly rows: Stream.Stream<ReadResult<A>, FileUnreadable>
}

/** The reader and table of one bulk data set. */
export interface BulkDataset<A> {
  readonly dataset: "form499" | "rmd"
  readonly table: string
  readonly open: (path: string) => Effect.Effect<OpenedRows<A>, FileUnreadable, Scope.Scope>
  /** The table row of a record read at `row`. */
  readonly toRow: (record: A, row: number) => Record<string, unknown>
  /** A key that must be unique within the file, when the table has one; a repeat is rejected. */
  readonly uniqueKey?: { readonly column: string; readonly of: (record: A) => string }
}

/**
 * Imports `path` as of `asOf` into `spec`'s table, replacing what was there.
 * Rejected rows are counted and the first ones kept with their row number.
 * The same file for the same date imports nothing the second time.
 */
export const importBulk = <A>(spec: BulkDataset<A>, path: string, asOf: LocalDate) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const sha256 = yield* sha256OfFile(path)
    const current = yield* sql<{ sha256: string; as_of: string }>`
      SELECT sha256, as_of::text AS as_of FROM fcc_datasets WHERE dataset = ${spec.dataset}`
    if (current[0] !== undefined && current[0].sha256 === sha256 && current[0].as_of === asOf) {
      yield* Effect.logInfo("data set already current")
      return new ImportSummary({
        dataset: spec.dataset,
        file: path,
        asOf,
        unchanged: true,
        records: 0,
        rejectedCount: 0,
        rejections: [],
        ignoredColumns: []
      })
    }

    return yield* sql.withTransaction(Effect.scoped(Effect.gen(function*() {
      const opened = yield* spec.open(path)
      yield* sql`DELETE FROM ${sql(spec.table)}`
      const rejections: Array<RowRejected> = []
      let rejectedCount = 0
      let records = 0
      const firstRowOfKey = new Map<string, number>()

      const reject = (rejection: RowRejected) => {
        rejectedCount += 1
        if (rejections.length < keptRejections) rejections.push(rejection)
      }

      yield* opened.rows.pipe(
        Stream.grouped(batchSize),
        Stream.runForEach((chunk) => {
          const rows: Array<Record<string, unknown>> = []
          for (const result of Chunk.toReadonlyArray(chunk)) {
            if (result._tag === "RowRejected") {
              reject(result.rejection)
              continue
            }
            if (spec.uniqueKey !== undefined) {
              const key = spec.uniqueKey.of(result.record)
              const first = firstRowOfKey.get(key)
              if (first !== undefined) {
                reject(new RowRejected({
                  row: result.row,
                  column: spec.uniqueKey.column,
                  value: key,
                  message: `${spec.uniqueKey.column} ${key} repeats row ${first}; the row is skipped`
                }))
                continue
              }
              firstRowOfKey.set(key, result.row)
            }
            rows.push(spec.toRow(result.record, result.row))
          }
          records += rows.length
          return rows.length === 0 ? Effect.void : sql`INSERT INTO ${sql(spec.table)} ${sql.insert(rows)}`
        })
      )

      const recorded = yield* sql<{ id: string }>`
        INSERT INTO fcc_imports (dataset, source_file, sha256, as_of, records, rejected, rejections, ignored_columns)
        VALUES (${spec.dataset}, ${path}, ${sha256}, ${asOf}, ${records}, ${rejectedCount},
                ${JSON.stringify(rejections)}::jsonb, ${JSON.stringify(opened.ignoredColumns)}::jsonb)
        RETURNING id`
      const importId = Number(recorded[0]?.id)
      yield* sql`
        INSERT INTO fcc_datasets (dataset, import_id, as_of, sha256)
        VALUES (${spec.dataset}, ${importId}, ${asOf}, ${sha256})
        ON CONFLICT (dataset) DO UPDATE SET import_id = EXCLUDED.import_id, as_of = EXCLUDED.as_of, sha256 = EXCLUDED.sha256`
      yield* Effect.annotateLogs(Effect.logInfo("data set imported"), { importId, records, rejectedCount })
      return new ImportSummary({
        dataset: spec.dataset,
        file: path,
        asOf,
        importId,
        unchanged: false,
        records,
        rejectedCount,
        rejections,
        ignoredColumns: opened.ignoredColumns
      })
    })))
  }).pipe(Effect.annotateLogs({ dataset: spec.dataset, file: path, asOf }))
