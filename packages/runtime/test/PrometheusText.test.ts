import { describe, expect, it } from "@effect/vitest"
import { MetricBoundaries, MetricKey, MetricLabel, MetricPair, MetricState, Option } from "effect"
import * as PrometheusText from "../src/PrometheusText.ts"
import { parseExposition } from "./support/Exposition.ts"

const counterPair = (name: string, count: number, incremental: boolean, labels: ReadonlyArray<MetricLabel.MetricLabel> = []) =>
  MetricPair.unsafeMake(
    MetricKey.taggedWithLabels(MetricKey.counter(name, { description: `${name} help`, incremental }), labels),
    MetricState.counter(count)
  )

const render = (pairs: ReadonlyArray<MetricPair.MetricPair.Untyped>) => {
  const text = PrometheusText.render(pairs)
  return { text, ...parseExposition(text) }
}

describe("PrometheusText", () => {
  it("incremental counter is a counter", () => {
    const { families, errors } = render([counterPair("jobs_done", 3, true)])

    expect(errors).toEqual([])
    expect(families.get("jobs_done")?.type).toBe("counter")
    expect(families.get("jobs_done")?.help).toBe("jobs_done help")
    expect(families.get("jobs_done")?.samples).toEqual([{ name: "jobs_done", labels: {}, value: "3" }])
  })

  it("decrementable counter is a gauge", () => {
    const { families } = render([counterPair("jobs_open", 2, false)])

    expect(families.get("jobs_open")?.type).toBe("gauge")
  })

  it("bigint gauge renders as integer", () => {
    const pair = MetricPair.unsafeMake(
      MetricKey.gauge("effect_cluster_shards", { bigint: true }),
      MetricState.gauge(9_007_199_254_740_993n)
    )
    const { families, errors } = render([pair])

    expect(errors).toEqual([])
    expect(families.get("effect_cluster_shards")?.samples[0]?.value).toBe("9007199254740993")
    expect(families.get("effect_cluster_shards")?.help).toBe("effect_cluster_shards")
  })

  it("histogram has buckets, sum, count", () => {
    const key = MetricKey.histogram("latency_seconds", MetricBoundaries.fromIterable([0.1, 1]), "Latency")
    const state = MetricState.histogram({
      buckets: [[0.1, 1], [1, 3], [Number.POSITIVE_INFINITY, 4]],
      count: 4,
      min: 0.05,
      max: 7,
      sum: 9.5
    })
    const { families, errors } = render([MetricPair.unsafeMake(key, state)])
    const samples = families.get("latency_seconds")?.samples ?? []

    expect(errors).toEqual([])
    expect(families.get("latency_seconds")?.type).toBe("histogram")
    expect(samples.filter((sample) => sample.name === "latency_seconds_bucket")).toEqual([
      { name: "latency_seconds_bucket", labels: { le: "0.1" }, value: "1" },
      { name: "latency_seconds_bucket", labels: { le: "1" }, value: "3" },
      { name: "latency_seconds_bucket", labels: { le: "+Inf" }, value: "4" }
    ])
    expect(samples.find((sample) => sample.name === "latency_seconds_sum")?.value).toBe("9.5")
    expect(samples.find((sample) => sample.name === "latency_seconds_count")?.value).toBe("4")
  })

  it("histogram without Inf bound gets one", () => {
    const key = MetricKey.histogram("sizes", MetricBoundaries.fromIterable([10]))
    const state = MetricState.histogram({ buckets: [[10, 2]], count: 5, min: 1, max: 50, sum: 80 })
    const { families } = render([MetricPair.unsafeMake(key, state)])
    const buckets = families.get("sizes")?.samples.filter((sample) => sample.name === "sizes_bucket") ?? []

    expect(buckets.at(-1)).toEqual({ name: "sizes_bucket", labels: { le: "+Inf" }, value: "5" })
  })

  it("summary has quantiles, sum, count", () => {
    const key = MetricKey.summary({
      name: "request_seconds",
      maxAge: "1 minute",
      maxSize: 100,
      error: 0.01,
      quantiles: [0.5, 0.99]
    })
    const state = MetricState.summary({
      error: 0.01,
      quantiles: [[0.5, Option.some(0.2)], [0.99, Option.none()]],
      count: 2,
      min: 0.1,
      max: 0.3,
      sum: 0.4
    })
    const { families, errors } = render([MetricPair.unsafeMake(key, state)])
    const samples = families.get("request_seconds")?.samples ?? []

    expect(errors).toEqual([])
    expect(families.get("request_seconds")?.type).toBe("summary")
    expect(samples[0]).toEqual({ name: "request_seconds", labels: { quantile: "0.5" }, value: "0.2" })
    expect(samples[1]).toEqual({ name: "request_seconds", labels: { quantile: "0.99" }, value: "NaN" })
    expect(samples.find((sample) => sample.name === "request_seconds_count")?.value).toBe("2")
  })

  it("frequency is a counter per key", () => {
    const key = MetricKey.frequency("order_status", { description: "Orders by status" })
    const state = MetricState.frequency(new Map([["paid", 2], ["draft", 5]]))
    const { families, errors } = render([MetricPair.unsafeMake(key, state)])

    expect(errors).toEqual([])
    expect(families.get("order_status")?.type).toBe("counter")
    expect(families.get("order_status")?.samples).toEqual([
      { name: "order_status", labels: { key: "paid" }, value: "2" },
      { name: "order_status", labels: { key: "draft" }, value: "5" }
    ])
  })

  it("names and labels are sanitised", () => {
    const pair = counterPair("2xx.responses-total", 1, true, [MetricLabel.make("http.route", "/v1/orders")])
    const { families, errors } = render([pair])

    expect(errors).toEqual([])
    expect(families.get("_2xx_responses_total")?.samples[0]?.labels).toEqual({ http_route: "/v1/orders" })
  })

  it("label values and help are escaped", () => {
    const key = MetricKey.gauge("escapes", { description: "line one\nback\\slash" }).pipe((gauge) =>
      MetricKey.tagged(gauge, "path", "C:\\tmp \"quoted\"\nnext")
    )
    const { text, families, errors } = render([MetricPair.unsafeMake(key, MetricState.gauge(1))])

    expect(errors).toEqual([])
    expect(text).toContain("# HELP escapes line one\\nback\\\\slash\n")
    expect(families.get("escapes")?.samples[0]?.labels).toEqual({ path: "C:\\tmp \"quoted\"\nnext" })
  })

  it("one HELP and TYPE per family", () => {
    const pairs = [
      counterPair("jobs_failed", 1, true, [MetricLabel.make("queue", "mail")]),
      counterPair("jobs_failed", 4, true, [MetricLabel.make("queue", "documents")])
    ]
    const { text, families, errors } = render(pairs)

    expect(errors).toEqual([])
    expect(text.match(/^# TYPE jobs_failed /gm)?.length).toBe(1)
    expect(families.get("jobs_failed")?.samples.map((sample) => sample.labels.queue)).toEqual(["documents", "mail"])
  })

  it("type conflict keeps first family", () => {
    const gauge = MetricPair.unsafeMake(MetricKey.gauge("jobs.done"), MetricState.gauge(7))
    const { families, errors } = render([counterPair("jobs_done", 3, true), gauge])

    expect(errors).toEqual([])
    expect(families.get("jobs_done")?.type).toBe("counter")
    expect(families.get("jobs_done")?.samples.length).toBe(1)
  })

  it("special values use Prometheus spelling", () => {
    expect(PrometheusText.formatValue(Number.POSITIVE_INFINITY)).toBe("+Inf")
    expect(PrometheusText.formatValue(Number.NEGATIVE_INFINITY)).toBe("-Inf")
    expect(PrometheusText.formatValue(Number.NaN)).toBe("NaN")
    expect(PrometheusText.formatValue(1e21)).toBe("1e+21")
  })

  it("no metrics renders empty text", () => {
    expect(PrometheusText.render([])).toBe("")
  })
})
