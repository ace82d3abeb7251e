/**
 * Locating and running the LibreOffice `soffice` binary as a child process
 * with a time limit.
 */
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs/promises"
import * as Path from "node:path"
import { Deferred, Duration, Effect, Exit, Option, Schema } from "effect"
import type { Scope } from "effect"

/** Debian/Ubuntu command that installs what `PdfConverter` needs for DOCX to PDF. */
export const installCommand = "apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-liberation2"

/** Install locations checked after the directories on PATH. */
const knownLocations = ["/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice"]

/** Number of trailing characters of stdout and stderr kept for error messages. */
const outputTailLength = 4000

/** Maximum time to wait for the process group to exit after SIGKILL. */
const killTimeout = Duration.seconds(5)

/** No executable `soffice` at `SOFFICE_PATH`, on PATH or in the known install locations. */
export class SofficeNotFound extends Schema.TaggedError<SofficeNotFound>()("SofficeNotFound", {
  message: Schema.String,
  /** Paths that were checked, in order. */
  searchedPaths: Schema.Array(Schema.String)
}) {}

/** The operating system could not start the process (for example EACCES). */
export class SofficeStartFailed extends Schema.TaggedError<SofficeStartFailed>()("SofficeStartFailed", {
  message: Schema.String,
  cause: Schema.Defect
}) {}

/** The process ran longer than its time limit and its process group was killed. */
export class SofficeTimedOut extends Schema.TaggedError<SofficeTimedOut>()("SofficeTimedOut", {
  message: Schema.String,
  timeout: Schema.DurationFromSelf,
  stderrTail: Schema.String
}) {}

/** Exit status of a finished soffice process and the end of its output. */
export interface SofficeExit {
  /** Exit code, or `null` when a signal ended the process. */
  readonly exitCode: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdoutTail: string
  readonly stderrTail: string
}

const isExecutableFile = (path: string): Effect.Effect<boolean> =>
  Effect.promise(async () => {
    try {
      const stat = await Fs.stat(path)
      if (!stat.isFile()) {
        return false
      }
      await Fs.access(path, Fs.constants.X_OK)
      return true
    } catch {
      return false
    }
  })

/**
 * Returns the path of the `soffice` binary: `configuredPath` when given,
 * otherwise the first executable `soffice` in a PATH directory, then
 * /usr/bin/soffice, then /usr/lib/libreoffice/program/soffice. Fails with
 * `SofficeNotFound`, naming the install command, when there is none.
 */
export const locate = Effect.fn("SofficeProcess.locate")(function* (
  configuredPath: Option.Option<string>
): Effect.fn.Return<string, SofficeNotFound> {
  if (Option.isSome(configuredPath)) {
    const path = configuredPath.value
    if (yield* isExecutableFile(path)) {
      return path
    }
    return yield* new SofficeNotFound({
      message: `SOFFICE_PATH ${path} is not an executable file. Point it at the LibreOffice soffice binary, or unset it to search PATH.`,
      searchedPaths: [path]
    })
  }

  const pathDirectories = (process.env["PATH"] ?? "").split(Path.delimiter).filter((directory) => directory !== "")
  const candidates = [...pathDirectories.map((directory) => Path.join(directory, "soffice")), ...knownLocations]
  for (const candidate of candidates) {
    if (yield* isExecutableFile(candidate)) {
      return candidate
    }
  }
  return yield* new SofficeNotFound({
    message: `LibreOffice (soffice) not found on PATH, at ${knownLocations.join(" or ")}. Install it with \`${installCommand}\` or set SOFFICE_PATH.`,
    searchedPaths: candidates
  })
})

/** Appends `chunk` to `tail`, keeping only the last `outputTailLength` characters. */
const appendTail = (tail: string, chunk: Buffer): string => {
  const combined = tail + chunk.toString("utf8")
  return combined.length > outputTailLength ? combined.slice(-outputTailLength) : combined
}

/**
 * Runs `binary` with `args` in its own process group and waits for it to
 * exit and close its output streams. A non-zero exit code is returned, not
 * failed, because soffice also exits with 0 on some failures. When
 * `timeout` passes or the caller is interrupted, the whole process group
 * (soffice and the soffice.bin it starts) gets SIGKILL, and the call waits
 * up to 5 seconds for it to exit.
 */
export const run = Effect.fn("SofficeProcess.run")(function* (
  binary: string,
  args: ReadonlyArray<string>,
  timeout: Duration.Duration
): Effect.fn.Return<SofficeExit, SofficeStartFailed | SofficeTimedOut, Scope.Scope> {
  let stdoutTail = ""
  let stderrTail = ""
  const outcome = yield* Deferred.make<SofficeExit, SofficeStartFailed>()

  yield* Effect.acquireRelease(
    Effect.try({
      try: () => {
        const child = ChildProcess.spawn(binary, args, {
          // A new process group, so that one kill(-pid) also reaches soffice.bin.
          detached: true,
          stdio: ["ignore", "pipe", "pipe"]
        })
        child.stdout.on("data", (chunk: Buffer) => {
          stdoutTail = appendTail(stdoutTail, chunk)
        })
        child.stderr.on("data", (chunk: Buffer) => {
          stderrTail = appendTail(stderrTail, chunk)
        })
        child.once("error", (cause) => {
          const error = new SofficeStartFailed({ message: `Failed to start ${binary}: ${cause.message}`, cause })
          Deferred.unsafeDone(outcome, Exit.fail(error))
        })
        child.once("close", (exitCode: number | null, signal: NodeJS.Signals | null) => {
          Deferred.unsafeDone(outcome, Exit.succeed({ exitCode, signal, stdoutTail, stderrTail }))
        })
        return child
      },
      catch: (cause) => new SofficeStartFailed({ message: `Failed to start ${binary}: ${String(cause)}`, cause })
    }),
    (child) =>
      Effect.gen(function* () {
        if (yield* Deferred.isDone(outcome)) {
          return
        }
        yield* killProcessGroup(child, Deferred.await(outcome))
      })
  )

  return yield* Deferred.await(outcome).pipe(
    Effect.timeoutFail({
      duration: timeout,
      onTimeout: () =>
        new SofficeTimedOut({
          message: `${binary} timed out after ${Duration.format(timeout)} and was killed`,
          timeout,
          stderrTail
        })
    })
  )
}, Effect.scoped)

/**
 * Sends SIGKILL to the process group led by `child`, then waits up to
 * 5 seconds for `exited` (the child closing its output streams). Never fails.
 */
const killProcessGroup = (
  child: ChildProcess.ChildProcess,
  exited: Effect.Effect<unknown, unknown>
): Effect.Effect<void> =>
  Effect.gen(function* () {
    const pid = child.pid
    if (pid === undefined) {
      // spawn failed, so there is no process to kill.
      return
    }
    yield* Effect.try(() => process.kill(-pid, "SIGKILL")).pipe(
      Effect.catchAll((error) => Effect.logWarning("Failed to kill soffice process group", error))
    )
    const waited = yield* Effect.exit(exited.pipe(Effect.timeout(killTimeout)))
    if (Exit.isFailure(waited)) {
      yield* Effect.logWarning("soffice process group did not exit after SIGKILL", waited.cause)
      return
    }
    yield* Effect.logWarning("Killed soffice process group")
  }).pipe(Effect.annotateLogs({ pid: child.pid }))
