/**
 * A long-running child process started in its own process group, so that
 * one signal reaches it and every process it starts, and that group is
 * killed when the scope closes.
 */
import * as ChildProcess from "node:child_process"
import * as Readline from "node:readline"
import { Deferred, Duration, Effect, Exit, Queue, Schema } from "effect"
import type { Scope } from "effect"

/** Number of trailing characters of output kept for error messages. */
const outputTailLength = 4000

/** Maximum time to wait for the process to close its output after SIGKILL. */
const killTimeout = Duration.seconds(5)

/** The operating system could not start the process, for example because the binary is missing (ENOENT). */
export class ProcessStartFailed extends Schema.TaggedError<ProcessStartFailed>()("ProcessStartFailed", {
  message: Schema.String,
  command: Schema.String,
  cause: Schema.Defect
}) {}

/** Writing to the process's stdin failed, usually because it has exited (EPIPE). */
export class ProcessWriteFailed extends Schema.TaggedError<ProcessWriteFailed>()("ProcessWriteFailed", {
  message: Schema.String,
  pid: Schema.Number,
  cause: Schema.Defect
}) {}

/** Exit status of the started process. */
export interface ProcessExit {
  /** Exit code, or `null` when a signal ended the process. */
  readonly exitCode: number | null
  readonly signal: NodeJS.Signals | null
}

/** Handling of the process's standard streams by `spawn`. */
export type Stdio =
  /** stdin is ignored, and stdout and stderr only feed `outputTail`. */
  | "tail"
  /** stdin is a pipe for `write`, stdout lines go to `stdoutLines`, and stderr feeds `outputTail`. */
  | "lines"

/** A running child process that leads its own process group. */
export interface ProcessGroup {
  /** Pid of the started process, which is also the id of its process group. */
  readonly pid: number
  /** Completes when the started process exits. Processes it started in the group may still run. */
  readonly exited: Effect.Effect<ProcessExit>
  readonly hasExited: Effect.Effect<boolean>
  /** Last characters the group wrote to stderr, and to stdout when `stdio` is `"tail"`. */
  readonly outputTail: Effect.Effect<string>
  /** Lines the process wrote to stdout, without the line break; stays empty when `stdio` is `"tail"`. */
  readonly stdoutLines: Queue.Dequeue<string>
  /** Writes `text` to stdin and waits until it is flushed to the pipe. */
  readonly write: (text: string) => Effect.Effect<void, ProcessWriteFailed>
}

/**
 * Starts `command` with `args` in a new process group. When the scope
 * closes and the group still has the process's output open, the whole
 * group gets SIGKILL, and the release waits up to 5 seconds for the output
 * to close. Fails with `ProcessStartFailed` when the process cannot be started.
 */
export const spawn = Effect.fn("ProcessGroup.spawn")(function* (
  command: string,
  args: ReadonlyArray<string>,
  stdio: Stdio,
  /** Variables added to this process's environment. */
  extraEnvironment: Readonly<Record<string, string>> = {}
): Effect.fn.Return<ProcessGroup, ProcessStartFailed, Scope.Scope> {
  let outputTail = ""
  const appendTail = (chunk: Buffer): void => {
    const combined = outputTail + chunk.toString("utf8")
    outputTail = combined.length > outputTailLength ? combined.slice(-outputTailLength) : combined
  }
  const exited = yield* Deferred.make<ProcessExit>()
  const closed = yield* Deferred.make<void>()
  const startError = yield* Deferred.make<Error>()
  const stdoutLines = yield* Queue.unbounded<string>()

  const child = yield* Effect.acquireRelease(
    Effect.try({
      try: () => {
        const child = ChildProcess.spawn(command, args, {
          // A new process group, so that one kill(-pid) also reaches the processes it starts.
          detached: true,
          env: { ...process.env, ...extraEnvironment },
          stdio: [stdio === "lines" ? "pipe" : "ignore", "pipe", "pipe"]
        })
        child.once("error", (cause) => Deferred.unsafeDone(startError, Exit.succeed(cause)))
        child.once("exit", (exitCode: number | null, signal: NodeJS.Signals | null) =>
          Deferred.unsafeDone(exited, Exit.succeed({ exitCode, signal }))
        )
        child.once("close", () => Deferred.unsafeDone(closed, Exit.void))
        child.stderr?.on("data", appendTail)
        if (stdio === "lines" && child.stdout !== null) {
          Readline.createInterface({ input: child.stdout, crlfDelay: Infinity }).on("line", (line) => {
            Queue.unsafeOffer(stdoutLines, line)
          })
        } else {
          child.stdout?.on("data", appendTail)
        }
        // Without a listener, an EPIPE on stdin would be an uncaught exception.
        // `write` reports the same error through its callback.
        child.stdin?.on("error", () => undefined)
        return child
      },
      catch: (cause) => new ProcessStartFailed({ message: `Failed to start ${command}: ${String(cause)}`, command, cause })
    }),
    (child) =>
      Effect.gen(function* () {
        if (child.pid === undefined || (yield* Deferred.isDone(closed))) {
          return
        }
        yield* killGroup(child.pid, Deferred.await(closed))
      })
  )

  const pid = child.pid
  if (pid === undefined) {
    // spawn reports a missing or non-executable binary in an "error" event.
    const cause = yield* Deferred.await(startError)
    return yield* new ProcessStartFailed({ message: `Failed to start ${command}: ${cause.message}`, command, cause })
  }

  const write = (text: string): Effect.Effect<void, ProcessWriteFailed> =>
    Effect.async<void, ProcessWriteFailed>((resume) => {
      const fail = (cause: unknown) =>
        resume(
          Effect.fail(
            new ProcessWriteFailed({ message: `Failed to write to the stdin of process ${pid}: ${String(cause)}`, pid, cause })
          )
        )
      if (child.stdin === null || !child.stdin.writable) {
        fail("stdin is not open")
        return
      }
      child.stdin.write(text, (error) => (error === undefined || error === null ? resume(Effect.void) : fail(error)))
    })

  return {
    pid,
    exited: Deferred.await(exited),
    hasExited: Deferred.isDone(exited),
    outputTail: Effect.sync(() => outputTail),
    stdoutLines,
    write
  }
})

/** Sends SIGKILL to process group `pid`, then waits up to 5 seconds for `closed`. Never fails. */
const killGroup = (pid: number, closed: Effect.Effect<void>): Effect.Effect<void> =>
  Effect.gen(function* () {
    yield* Effect.try(() => process.kill(-pid, "SIGKILL")).pipe(
      Effect.catchAll((error) => Effect.logWarning("Failed to kill process group", error))
    )
    const waited = yield* Effect.exit(closed.pipe(Effect.timeout(killTimeout)))
    if (Exit.isFailure(waited)) {
      yield* Effect.logWarning("Process group did not close its output after SIGKILL", waited.cause)
    }
  }).pipe(Effect.annotateLogs({ pid }))
