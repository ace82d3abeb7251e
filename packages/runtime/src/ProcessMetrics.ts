/**
 * Gauges of the running process, sampled when they are read rather than
 * kept in Effect's global metric registry.
 */
import { Effect, MetricKey, MetricPair, MetricState } from "effect"
import { performance } from "node:perf_hooks"

const gauge = (name: string, description: string, value: number): MetricPair.MetricPair.Untyped =>
  MetricPair.unsafeMake(MetricKey.gauge(name, { description }), MetricState.gauge(value))

/** Waits for one turn of the event loop and returns how long it took beyond the immediate queue, in seconds. */
const eventLoopLag = Effect.async<number>((resume) => {
  const start = performance.now()
  const handle = setImmediate(() => resume(Effect.succeed((performance.now() - start) / 1000)))
  return Effect.sync(() => clearImmediate(handle))
})

/**
 * Samples resident memory, V8 heap used, uptime and event-loop lag, named
 * as the Prometheus Node.js client (prom-client) names them where it has
 * the metric. The lag is the delay of one `setImmediate` callback, so it is
 * one sample of the current lag, not an average.
 */
export const sample = Effect.fn("ProcessMetrics.sample")(function*() {
  const lag = yield* eventLoopLag
  const memory = process.memoryUsage()
  return [
    gauge("process_resident_memory_bytes", "Resident memory size in bytes", memory.rss),
    gauge("nodejs_heap_size_used_bytes", "V8 heap used in bytes", memory.heapUsed),
    gauge("process_uptime_seconds", "Time since the process started, in seconds", process.uptime()),
    gauge("nodejs_eventloop_lag_seconds", "Delay of one event-loop turn when sampled, in seconds", lag)
  ]
})
