/**
 * A strict reader of the Prometheus text exposition format 0.0.4 for tests:
 * it checks every line against the format's grammar and groups samples by
 * family.
 */

/** One sample line. */
export interface Sample {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly value: string
}

/** One metric family with its HELP and TYPE lines. */
export interface Family {
  readonly help: string
  readonly type: string
  readonly samples: Array<Sample>
}

/** The families read, and one message per line or family that breaks the format. */
export interface Exposition {
  readonly families: ReadonlyMap<string, Family>
  readonly errors: ReadonlyArray<string>
}

const metricName = "[a-zA-Z_:][a-zA-Z0-9_:]*"
const labelPair = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`
const value = "(?:[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|NaN|[+-]Inf)"

const helpLine = new RegExp(`^# HELP (${metricName}) (.*)$`)
const typeLine = new RegExp(`^# TYPE (${metricName}) (counter|gauge|histogram|summary|untyped)$`)
const sampleLine = new RegExp(`^(${metricName})(\\{(?:${labelPair}(?:,${labelPair})*,?)?\\})? (${value})(?: -?\\d+)?$`)
const labelPairGlobal = new RegExp(`([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"`, "g")

const unescapeLabelValue = (raw: string): string =>
  raw.replace(/\\(["\\n])/g, (_, character: string) => character === "n" ? "\n" : character)

/** Finds the family a sample name belongs to, because histograms and summaries add `_bucket`, `_sum` and `_count` samples. */
const familyOf = (name: string, families: ReadonlyMap<string, Family>): string | undefined => {
  if (families.has(name)) {
    return name
  }
  const match = /^(.*)_(bucket|sum|count)$/.exec(name)
  const base = match?.[1]
  const type = base === undefined ? undefined : families.get(base)?.type
  return type === "histogram" || type === "summary" ? base : undefined
}

/** Reads `text`, which must end with a newline, into families and format errors. */
export const parseExposition = (text: string): Exposition => {
  const families = new Map<string, Family>()
  const errors: Array<string> = []
  const pendingHelp = new Map<string, string>()
  if (text.length > 0 && !text.endsWith("\n")) {
    errors.push("the text does not end with a newline")
  }

  for (const line of text.split("\n").filter((line) => line.length > 0)) {
    const help = helpLine.exec(line)
    const type = typeLine.exec(line)
    const sample = sampleLine.exec(line)
    if (help?.[1] !== undefined) {
      if (pendingHelp.has(help[1]) || families.has(help[1])) {
        errors.push(`second HELP for ${help[1]}`)
      }
      pendingHelp.set(help[1], help[2] ?? "")
    } else if (type?.[1] !== undefined && type[2] !== undefined) {
      if (families.has(type[1])) {
        errors.push(`second TYPE for ${type[1]}`)
      }
      families.set(type[1], { help: pendingHelp.get(type[1]) ?? "", type: type[2], samples: [] })
    } else if (sample?.[1] !== undefined && sample[3] !== undefined) {
      const family = familyOf(sample[1], families)
      if (family === undefined) {
        errors.push(`sample before its TYPE line: ${line}`)
        continue
      }
      const labels: Record<string, string> = {}
      for (const pair of (sample[2] ?? "").matchAll(labelPairGlobal)) {
        labels[pair[1] ?? ""] = unescapeLabelValue(pair[2] ?? "")
      }
      families.get(family)?.samples.push({ name: sample[1], labels, value: sample[3] })
    } else {
      errors.push(`line breaks the format: ${line}`)
    }
  }
  return { families, errors }
}
