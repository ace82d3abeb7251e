/**
 * The result type of the streaming readers, available once a file's header has been read.
 */
import type { Stream } from "effect"
import type { FileUnreadable, ReadResult } from "./ReadResult.ts"

/**
 * An opened data file: the header columns the reader does not know, and the
 * rows after the header in file order. The stream fails with
 * `FileUnreadable` when the file breaks off or is corrupt after the header.
 * It is valid only inside the scope that opened the file.
 */
export interface OpenedFile<A> {
  readonly ignoredColumns: ReadonlyArray<string>
  readonly rows: Stream.Stream<ReadResult<A>, FileUnreadable>
}
