/**
 * Timing of one benchmark phase: elapsed time, messages per second and the
 * peak resident set size and V8 heap of this process, sampled every 100 ms.
 */
import { Effect, Fiber, Schedule } from "effect"

/** Measurements of one phase. */
export interface PhaseResult {
  readonly label: string
  readonly millis: number
  /** Messages, entries or rows the phase handled, whichever unit the phase counts. */
  readonly messages: number
  /** Highest `process.memoryUsage().rss` seen during the phase, in bytes. */
  readonly peakRssBytes: number
  /** Highest `process.memoryUsage().heapUsed` seen during the phase, in bytes. */
  readonly peakHeapBytes: number
}

/** Interval between two RSS samples. */
const sampleInterval = "100 millis"

/**
 * Runs `effect`, which returns how many messages it handled and a value, and
 * measures it. The RSS sampler runs in a fiber of the phase's own scope.
 */
export const measure = <A, E, R>(label: string, effect: Effect.Effect<{ readonly messages: number; readonly value: A }, E, R>) =>
  Effect.scoped(Effect.gen(function* () {
    let peakRssBytes = 0
    let peakHeapBytes = 0
    const sample = Effect.sync(() => {
      const usage = process.memoryUsage()
      peakRssBytes = Math.max(peakRssBytes, usage.rss)
      peakHeapBytes = Math.max(peakHeapBytes, usage.heapUsed)
    })
    yield* sample
    const sampler = yield* Effect.forkScoped(Effect.repeat(sample, Schedule.spaced(sampleInterval)))
    const startedAt = performance.now()
    const { messages, value } = yield* effect
    const millis = performance.now() - startedAt
    yield* Fiber.interrupt(sampler)
    yield* sample
    const result: PhaseResult = { label, millis, messages, peakRssBytes, peakHeapBytes }
    return { result, value }
  }))

const mebibytes = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`

/** Formats a phase as one line, with its time per message relative to `baseline` when given. */
export const describe = (result: PhaseResult, unit: string, baseline?: PhaseResult): string => {
  const rate = result.messages / (result.millis / 1000)
  const ratio = baseline === undefined
    ? ""
    : `  ${(result.millis / result.messages / (baseline.millis / baseline.messages)).toFixed(1)}x baseline`
  return `${result.label.padEnd(34)} ${(result.millis / 1000).toFixed(1).padStart(7)} s  ${String(result.messages).padStart(7)} ${unit}  ` +
    `${rate.toFixed(0).padStart(7)} ${unit}/s  peak RSS ${mebibytes(result.peakRssBytes).padStart(9)}  heap ${mebibytes(result.peakHeapBytes).padStart(9)}${ratio}`
}
