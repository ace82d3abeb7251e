/**
 * A temporary directory for one test, removed when the test's scope closes.
 */
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"

/** Creates an empty directory under the OS temp directory and returns its path; the scope removes it with its contents. */
export const tempDir = Effect.acquireRelease(
  Effect.promise(() => mkdtemp(join(tmpdir(), "fcc-data-test-"))),
  (path) => Effect.promise(() => rm(path, { recursive: true, force: true }))
)
