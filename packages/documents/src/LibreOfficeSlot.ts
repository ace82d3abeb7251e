/**
 * One place in the warm pool: a profile directory and at most one running
 * LibreOffice instance on it, replaced whenever it stops or fails.
 */
import { Cause, Duration, Effect, Either, Exit, ExecutionStrategy, Option, Ref, Scope } from "effect"
import * as LibreOfficeInstance from "./LibreOfficeInstance.ts"

/** State of one slot of the pool, for diagnostics and tests. */
export interface LibreOfficeInstanceStatus {
  readonly slot: number
  readonly profileDirectory: string
  /** Process group id of the current soffice, `null` while the slot has no instance. */
  readonly sofficePid: number | null
  /** Pid of the current UNO helper, `null` while the slot has no instance. */
  readonly helperPid: number | null
  /** Whether soffice and the helper of the current instance are both running. */
  readonly running: boolean
  /** Whether a conversion is running in the slot. */
  readonly converting: boolean
  /** Instances started in this slot so far, the first one included. */
  readonly starts: number
  /** Conversions that succeeded in this slot. */
  readonly conversions: number
}

/** Scopes in which a slot starts its instances and forks its watchers. */
export interface SlotScopes {
  /** Parent of every instance's scope; closing it kills all instances. */
  readonly instances: Scope.Scope
  /** Scope of the fibers that replace stopped instances; close it before `instances`. */
  readonly watchers: Scope.Scope
}

/** One slot of the pool. Only one fiber at a time may call `run`, so the pool hands slots out through a queue. */
export interface LibreOfficeSlot {
  readonly index: number
  /** Starts the slot's first instance, trying a second time after a second when the first start fails. */
  readonly start: Effect.Effect<void, LibreOfficeInstance.LibreOfficeStartFailed>
  /**
   * Runs `use` on the slot's instance, starting a fresh one first when there
   * is none or it stopped. When `use` fails with `InstanceFailed` or
   * `InstanceTimedOut`, or is interrupted, the instance is killed and a
   * replacement starts in the background, which the next `run` waits for.
   */
  readonly run: <A, E extends { readonly _tag: string }>(
    use: (instance: LibreOfficeInstance.LibreOfficeInstance) => Effect.Effect<A, E>
  ) => Effect.Effect<A, E | LibreOfficeInstance.LibreOfficeStartFailed>
  readonly status: Effect.Effect<LibreOfficeInstanceStatus>
}

interface Running {
  readonly instance: LibreOfficeInstance.LibreOfficeInstance
  readonly scope: Scope.CloseableScope
}

interface SlotState {
  readonly current: Option.Option<Running>
  readonly converting: boolean
  readonly starts: number
  readonly conversions: number
}

/** Wait before the second attempt of `start`. */
const startRetryDelay = Duration.seconds(1)

/** Errors after which the instance is no longer trusted. */
const replacedAfter = new Set(["InstanceFailed", "InstanceTimedOut"])

/**
 * Creates slot `index` with the given start options. Nothing starts until
 * `start` or `run`. When an instance stops while idle, a watcher fiber in
 * `scopes.watchers` replaces it.
 */
export const make = Effect.fn("LibreOfficeSlot.make")(function* (
  index: number,
  options: LibreOfficeInstance.StartOptions,
  scopes: SlotScopes
): Effect.fn.Return<LibreOfficeSlot> {
  const lock = yield* Effect.makeSemaphore(1)
  const state = yield* Ref.make<SlotState>({ current: Option.none(), converting: false, starts: 0, conversions: 0 })
  const annotations = { slot: index, profileDirectory: options.profileDirectory }

  const discard = Effect.gen(function* () {
    const { current } = yield* Ref.getAndUpdate(state, (previous) => ({ ...previous, current: Option.none() }))
    if (Option.isSome(current)) {
      yield* Scope.close(current.value.scope, Exit.void)
    }
  })

  // Called with the lock held.
  const startInstance: Effect.Effect<LibreOfficeInstance.LibreOfficeInstance, LibreOfficeInstance.LibreOfficeStartFailed> =
    Effect.uninterruptibleMask((restore) =>
      Effect.gen(function* () {
        yield* discard
        const scope = yield* Scope.fork(scopes.instances, ExecutionStrategy.sequential)
        const instance = yield* restore(LibreOfficeInstance.start(options)).pipe(
          Scope.extend(scope),
          Effect.onError((cause) => Scope.close(scope, Exit.failCause(cause)))
        )
        yield* Ref.update(state, (previous) => ({
          ...previous,
          current: Option.some({ instance, scope }),
          starts: previous.starts + 1
        }))
        yield* Effect.forkIn(Effect.interruptible(watch(instance)), scopes.watchers)
        return instance
      })
    )

  // Called with the lock held.
  const runningInstance = Effect.gen(function* () {
    const { current } = yield* Ref.get(state)
    if (Option.isSome(current) && (yield* current.value.instance.isRunning)) {
      return current.value.instance
    }
    return yield* startInstance
  })

  // Starts the replacement of a killed or stopped instance without making the caller wait for it.
  const replaceInBackground = Effect.forkIn(
    Effect.interruptible(
      lock.withPermits(1)(
        runningInstance.pipe(
          Effect.catchAll((error) => Effect.logError("Failed to replace LibreOffice instance", error))
        )
      )
    ),
    scopes.watchers
  )

  const watch = (instance: LibreOfficeInstance.LibreOfficeInstance): Effect.Effect<void> =>
    Effect.gen(function* () {
      const stopped = yield* instance.stopped
      const { current } = yield* Ref.get(state)
      if (Option.isNone(current) || current.value.instance !== instance) {
        return
      }
      yield* Effect.logWarning("LibreOffice instance stopped, replacing it").pipe(
        Effect.annotateLogs({ reason: stopped.message, output: stopped.outputTail, sofficePid: instance.sofficePid })
      )
      yield* replaceInBackground
    }).pipe(Effect.annotateLogs(annotations))

  const run = <A, E extends { readonly _tag: string }>(
    use: (instance: LibreOfficeInstance.LibreOfficeInstance) => Effect.Effect<A, E>
  ): Effect.Effect<A, E | LibreOfficeInstance.LibreOfficeStartFailed> =>
    lock.withPermits(1)(
      Effect.gen(function* () {
        const instance = yield* runningInstance
        yield* Ref.update(state, (previous) => ({ ...previous, converting: true }))
        return yield* use(instance).pipe(
          Effect.onExit((exit) =>
            Effect.gen(function* () {
              yield* Ref.update(state, (previous) => ({
                ...previous,
                converting: false,
                conversions: previous.conversions + (Exit.isSuccess(exit) ? 1 : 0)
              }))
              if (Exit.isSuccess(exit)) {
                return
              }
              const failure = Cause.failureOption(exit.cause)
              const mustReplace =
                Cause.isInterruptedOnly(exit.cause) || (Option.isSome(failure) && replacedAfter.has(failure.value._tag))
              if (mustReplace) {
                yield* discard
                yield* replaceInBackground
              }
            })
          )
        )
      })
    ).pipe(Effect.annotateLogs(annotations))

  const status = Effect.gen(function* () {
    const current = yield* Ref.get(state)
    const instance = Option.map(current.current, (running) => running.instance)
    return {
      slot: index,
      profileDirectory: options.profileDirectory,
      sofficePid: Option.isSome(instance) ? instance.value.sofficePid : null,
      helperPid: Option.isSome(instance) ? instance.value.helperPid : null,
      running: Option.isSome(instance) ? yield* instance.value.isRunning : false,
      converting: current.converting,
      starts: current.starts,
      conversions: current.conversions
    } satisfies LibreOfficeInstanceStatus
  })

  const start = Effect.gen(function* () {
    const first = yield* Effect.either(lock.withPermits(1)(startInstance))
    if (Either.isRight(first)) {
      return
    }
    // For example, the soffice of a process killed a moment ago may still hold the profile.
    yield* Effect.logWarning("LibreOffice instance failed to start, retrying once").pipe(
      Effect.annotateLogs({ reason: first.left.message })
    )
    yield* Effect.sleep(startRetryDelay)
    yield* lock.withPermits(1)(startInstance)
  }).pipe(Effect.annotateLogs(annotations))

  return { index, start, run, status }
})
