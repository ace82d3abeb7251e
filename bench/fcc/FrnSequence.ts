/**
 * The FRNs the check is timed on: a seeded random draw from the loaded
 * filers, with a share of FRNs that are not in the data.
 */
import { Frn } from "@pw/domain/Carrier"
import { Schema } from "effect"

/** The options of a draw. */
export interface FrnSequenceOptions {
  /** FRNs of the loaded Form 499 filers; must not be empty. */
  readonly loaded: ReadonlyArray<Frn>
  readonly length: number
  /** Share of the sequence, from 0 to 1, drawn from FRNs outside `loaded`. */
  readonly missingShare: number
  /** The same seed and options give the same sequence. */
  readonly seed: number
}

/** Mulberry32: a small deterministic generator of floats in [0, 1). */
const generator = (seed: number): (() => number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state)
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296
  }
}

const decodeFrn = Schema.decodeSync(Frn)

/**
 * Draws `length` FRNs. Each one is, with probability `missingShare`, a random
 * 10-digit FRN starting with 9 that is not in `loaded`, and otherwise a
 * loaded FRN picked uniformly. Throws when `loaded` is empty.
 */
export const drawFrnSequence = (options: FrnSequenceOptions): Array<Frn> => {
  if (options.loaded.length === 0) throw new Error("drawing FRNs needs at least one loaded filer; import a workbook with rows first")
  const random = generator(options.seed)
  const loaded = new Set<string>(options.loaded)
  const missingFrn = (): Frn => {
    for (;;) {
      const candidate = String(9_000_000_000 + Math.floor(random() * 1_000_000_000))
      if (!loaded.has(candidate)) return decodeFrn(candidate)
    }
  }
  const sequence: Array<Frn> = []
  for (let index = 0; index < options.length; index++) {
    if (random() < options.missingShare) {
      sequence.push(missingFrn())
      continue
    }
    const picked = options.loaded[Math.floor(random() * options.loaded.length)]
    if (picked !== undefined) sequence.push(picked)
  }
  return sequence
}
