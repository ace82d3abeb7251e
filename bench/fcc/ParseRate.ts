/**
 * The bare parse of a Form 499 export: the reader's row stream drained
 * without a database, as the lower bound the import is compared with.
 */
import * as Form499Reader from "@pw/fcc-data/Form499Reader"
import { Effect, Stream } from "effect"

/** Records and rejected rows of one parse. */
export interface ParseCount {
  readonly records: number
  readonly rejected: number
}

/**
 * Opens the export at `path` with `Form499Reader.open` and counts what its
 * row stream yields. Fails with `FileUnreadable` as the reader does.
 */
export const countRows = Effect.fn("FccBench.countRows")(function*(path: string) {
  const opened = yield* Form499Reader.open(path)
  const empty: ParseCount = { records: 0, rejected: 0 }
  return yield* Stream.runFold(opened.rows, empty, (count, result): ParseCount =>
    result._tag === "RecordRead"
      ? { records: count.records + 1, rejected: count.rejected }
      : { records: count.records, rejected: count.rejected + 1 })
}, Effect.scoped)
