/**
 * The documents the platform generates for an order, and how many of them
 * exist so far.
 */
import { Schema } from "effect"
import type { OrderDocument } from "./Order.ts"
import type { OrderItem } from "./Quote.ts"

/** A document a service's workflow generates, by the `kind` it is attached under. */
export interface PlannedDocument {
  readonly kind: string
  readonly title: string
}

/**
 * Documents generated automatically, by service slug. Services missing here
 * are fulfilled by staff by hand, so they add nothing to the plan.
 */
const generatedDocuments: ReadonlyMap<string, ReadonlyArray<PlannedDocument>> = new Map([
  ["cpni-certification", [{ kind: "cpni-certification", title: "CPNI certification" }]]
])

/** Returns the documents the workflows of `items` generate, one entry per kind. */
export const plannedDocuments = (items: ReadonlyArray<OrderItem>): ReadonlyArray<PlannedDocument> => {
  const planned = new Map<string, PlannedDocument>()
  for (const item of items) {
    for (const document of generatedDocuments.get(item.service) ?? []) {
      planned.set(document.kind, document)
    }
  }
  return [...planned.values()]
}

/** How many of the order's generated documents exist, for example "1 of 2 documents generated". */
export class DocumentProgress extends Schema.Class<DocumentProgress>("DocumentProgress")({
  generated: Schema.Int,
  expected: Schema.Int,
  /** Titles of the planned documents not generated yet. */
  pending: Schema.Array(Schema.String),
  summary: Schema.String
}) {}

/** Compares the order's attached documents with its plan. */
export const documentProgress = (
  items: ReadonlyArray<OrderItem>,
  documents: ReadonlyArray<OrderDocument>
): DocumentProgress => {
  const planned = plannedDocuments(items)
  const attachedKinds = new Set(documents.map((document) => document.kind))
  const pending = planned.filter((document) => !attachedKinds.has(document.kind))
  const generated = planned.length - pending.length
  const noun = planned.length === 1 ? "document" : "documents"
  return new DocumentProgress({
    generated,
    expected: planned.length,
    pending: pending.map((document) => document.title),
    summary: planned.length === 0
      ? "no documents are generated automatically for this order"
      : `${generated} of ${planned.length} ${noun} generated`
  })
}
