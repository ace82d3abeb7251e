/**
 * Renders Effect metrics in the Prometheus text exposition format 0.0.4,
 * the format every Prometheus server and agent scrapes.
 */
import { MetricKeyType, MetricState, Option } from "effect"
import type { MetricPair } from "effect"

/** The `Content-Type` of a response in the text exposition format 0.0.4. */
export const contentType = "text/plain; version=0.0.4; charset=utf-8"

type FamilyType = "counter" | "gauge" | "histogram" | "summary"

interface Family {
  readonly type: FamilyType
  readonly help: string
  readonly samples: Array<{ readonly labels: string; readonly lines: ReadonlyArray<string> }>
}

type Labels = ReadonlyArray<readonly [string, string]>

/** Replaces every character a metric name cannot contain with `_`, and prefixes `_` to a leading digit. */
export const sanitizeMetricName = (name: string): string => {
  const replaced = name.replace(/[^a-zA-Z0-9_:]/g, "_")
  return /^[a-zA-Z_:]/.test(replaced) ? replaced : `_${replaced}`
}

/** Replaces every character a label name cannot contain with `_`, and prefixes `_` to a leading digit. */
export const sanitizeLabelName = (name: string): string => {
  const replaced = name.replace(/[^a-zA-Z0-9_]/g, "_")
  return /^[a-zA-Z_]/.test(replaced) ? replaced : `_${replaced}`
}

const escapeLabelValue = (value: string): string =>
  value.replace(/\\/g, "\\\\").replace(/"/g, "\\\"").replace(/\n/g, "\\n")

const escapeHelp = (text: string): string => text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")

/** Formats a sample value or bucket bound as Prometheus parses floats: `+Inf`, `-Inf`, `NaN`, integers for bigints. */
export const formatValue = (value: number | bigint): string => {
  if (typeof value === "bigint") {
    return value.toString()
  }
  if (value === Number.POSITIVE_INFINITY) {
    return "+Inf"
  }
  if (value === Number.NEGATIVE_INFINITY) {
    return "-Inf"
  }
  return Number.isNaN(value) ? "NaN" : String(value)
}

/**
 * Formats a label set. Labels whose names collide after sanitising keep the
 * last value, so `extra` (such as `le` or `quantile`) overrides a metric tag
 * of the same name.
 */
const formatLabels = (labels: Labels): string => {
  const byName = new Map<string, string>()
  for (const [name, value] of labels) {
    byName.set(sanitizeLabelName(name), value)
  }
  if (byName.size === 0) {
    return ""
  }
  const parts = Array.from(byName, ([name, value]) => `${name}="${escapeLabelValue(value)}"`)
  return `{${parts.join(",")}}`
}

const compareStrings = (left: string, right: string): number => {
  if (left === right) {
    return 0
  }
  return left < right ? -1 : 1
}

const familyType = (keyType: MetricKeyType.MetricKeyType.Untyped): FamilyType | undefined => {
  if (MetricKeyType.isCounterKey(keyType)) {
    // A counter that is not incremental can decrease, which a Prometheus counter must never do.
    return keyType.incremental ? "counter" : "gauge"
  }
  if (MetricKeyType.isGaugeKey(keyType)) {
    return "gauge"
  }
  if (MetricKeyType.isFrequencyKey(keyType)) {
    return "counter"
  }
  if (MetricKeyType.isHistogramKey(keyType)) {
    return "histogram"
  }
  return MetricKeyType.isSummaryKey(keyType) ? "summary" : undefined
}

const sampleLines = (name: string, tags: Labels, state: MetricState.MetricState.Untyped): Array<string> => {
  const sample = (suffix: string, extra: Labels, value: number | bigint) =>
    `${name}${suffix}${formatLabels([...tags, ...extra])} ${formatValue(value)}`

  if (MetricState.isCounterState(state)) {
    return [sample("", [], state.count)]
  }
  if (MetricState.isGaugeState(state)) {
    return [sample("", [], state.value)]
  }
  if (MetricState.isFrequencyState(state)) {
    return Array.from(state.occurrences, ([word, count]) => sample("", [["key", word]], count))
  }
  if (MetricState.isHistogramState(state)) {
    const lines = state.buckets.map(([bound, cumulative]) => sample("_bucket", [["le", formatValue(bound)]], cumulative))
    const last = state.buckets[state.buckets.length - 1]
    if (last === undefined || last[0] !== Number.POSITIVE_INFINITY) {
      lines.push(sample("_bucket", [["le", "+Inf"]], state.count))
    }
    return [...lines, sample("_sum", [], state.sum), sample("_count", [], state.count)]
  }
  if (MetricState.isSummaryState(state)) {
    const lines = state.quantiles.map(([quantile, value]) =>
      sample("", [["quantile", formatValue(quantile)]], Option.getOrElse(value, () => Number.NaN))
    )
    return [...lines, sample("_sum", [], state.sum), sample("_count", [], state.count)]
  }
  return []
}

/**
 * Renders `pairs` (usually `Metric.unsafeSnapshot()`) as one family per
 * sanitised name, each with one `# HELP` and one `# TYPE` line: the help text
 * is the metric's description, or its Effect name when it has none.
 * Incremental counters and frequencies are counters, and a frequency has
 * one sample per word, in the `key` label. Other counters and gauges are
 * gauges. Histograms have cumulative `_bucket` samples with an `le` label
 * ending at `+Inf`. Summaries have `quantile` samples, `NaN` while empty.
 * Both also have `_sum` and `_count` samples. Output is sorted by family name and
 * label set.
 */
export const render = (pairs: ReadonlyArray<MetricPair.MetricPair.Untyped>): string => {
  const families = new Map<string, Family>()
  for (const { metricKey, metricState } of pairs) {
    const type = familyType(metricKey.keyType)
    if (type === undefined) {
      continue
    }
    const name = sanitizeMetricName(metricKey.name)
    const tags: Labels = metricKey.tags.map((tag) => [tag.key, tag.value] as const)
    const help = Option.getOrElse(metricKey.description, () => metricKey.name)
    const family = families.get(name) ?? { type, help, samples: [] }
    // NOTE: a metric whose sanitised name is already a family of another type is left out, because one name can have only one type.
    if (family.type !== type) {
      continue
    }
    families.set(name, family)
    family.samples.push({ labels: formatLabels(tags), lines: sampleLines(name, tags, metricState) })
  }

  const lines: Array<string> = []
  for (const name of Array.from(families.keys()).sort()) {
    const family = families.get(name)
    if (family === undefined) {
      continue
    }
    lines.push(`# HELP ${name} ${escapeHelp(family.help)}`, `# TYPE ${name} ${family.type}`)
    const samples = [...family.samples].sort((left, right) => compareStrings(left.labels, right.labels))
    for (const sample of samples) {
      lines.push(...sample.lines)
    }
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`
}
