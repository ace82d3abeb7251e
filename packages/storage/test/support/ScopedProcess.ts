/**
 * Server processes for tests: each in its own process group, stopped with
 * the scope that started it.
 */
import * as ChildProcess from "node:child_process"
import { Deferred, Duration, Effect, Exit, Option, Schema } from "effect"
import type { Scope } from "effect"

/** Maximum wait for the process group to exit after SIGTERM, and again after SIGKILL. */
const stopTimeout = Duration.seconds(5)

/** Maximum wait for the operating system to start the process. */
const spawnTimeout = Duration.seconds(10)

/** The operating system could not start the process, for example because the command is missing. */
export class ProcessStartFailed extends Schema.TaggedError<ProcessStartFailed>()("ProcessStartFailed", {
  command: Schema.String,
  message: Schema.String,
  cause: Schema.Defect
}) {}

/** A running child process. */
export interface ScopedProcess {
  readonly name: string
  readonly pid: number
  /** Completes with "exit code N" or "signal NAME" when the process exits. */
  readonly exited: Deferred.Deferred<string>
}

/**
 * Starts `command` with `args` in a new process group, passing every chunk
 * it writes to stdout or stderr to `onOutput`. When the scope closes, the
 * group gets SIGTERM, then SIGKILL if it is still running after 5 seconds.
 * Only the group of this child is signalled.
 */
export const spawn = Effect.fn("ScopedProcess.spawn")(function* (
  name: string,
  command: string,
  args: ReadonlyArray<string>,
  onOutput: (text: string) => void
): Effect.fn.Return<ScopedProcess, ProcessStartFailed, Scope.Scope> {
  const exited = yield* Deferred.make<string>()

  const started = Effect.async<ChildProcess.ChildProcess, ProcessStartFailed>((resume) => {
    const child = ChildProcess.spawn(command, args, { detached: true, stdio: ["ignore", "pipe", "pipe"] })
    child.stdout.on("data", (chunk: Buffer) => onOutput(chunk.toString("utf8")))
    child.stderr.on("data", (chunk: Buffer) => onOutput(chunk.toString("utf8")))
    child.once("exit", (code, signal) => {
      Deferred.unsafeDone(exited, Exit.succeed(signal === null ? `exit code ${String(code)}` : `signal ${signal}`))
    })
    child.once("spawn", () => resume(Effect.succeed(child)))
    child.once("error", (cause) =>
      resume(
        Effect.fail(
          new ProcessStartFailed({ command, message: `Failed to start ${name} (${command}): ${cause.message}`, cause })
        )
      )
    )
  }).pipe(
    Effect.timeoutFail({
      duration: spawnTimeout,
      onTimeout: () =>
        new ProcessStartFailed({
          command,
          message: `${name} (${command}) did not start within ${Duration.format(spawnTimeout)}`,
          cause: undefined
        })
    })
  )

  const signalGroup = (pid: number, signal: NodeJS.Signals) =>
    Effect.sync(() => {
      try {
        process.kill(-pid, signal)
      } catch {
        // The group is already gone.
      }
    })

  const child = yield* Effect.acquireRelease(started, (child) =>
    Effect.gen(function* () {
      const pid = child.pid
      if (pid === undefined || (yield* Deferred.isDone(exited))) {
        return
      }
      yield* signalGroup(pid, "SIGTERM")
      // Interruptible, because a finalizer is not, and the timeout must still apply.
      const awaitExit = Deferred.await(exited).pipe(Effect.interruptible, Effect.timeout(stopTimeout), Effect.option)
      if (Option.isSome(yield* awaitExit)) {
        return
      }
      yield* signalGroup(pid, "SIGKILL")
      if (Option.isNone(yield* awaitExit)) {
        yield* Effect.logWarning("Test process did not exit after SIGKILL").pipe(Effect.annotateLogs({ name, pid }))
      }
    })
  )

  const pid = child.pid
  if (pid === undefined) {
    return yield* new ProcessStartFailed({ command, message: `${name} (${command}) started without a pid`, cause: undefined })
  }
  return { name, pid, exited }
})
