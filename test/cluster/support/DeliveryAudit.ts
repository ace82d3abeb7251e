/**
 * Compares the messages a load sent with the rows the Probe handler wrote,
 * to show that each message was processed exactly once.
 */
import type { DeliveryRow } from "./ProbeTables.ts"

/** Messages as `entityId#sequence` keys. */
export interface DeliveryAuditResult {
  /** Sent, but without a row in `probe_deliveries`. */
  readonly missing: ReadonlyArray<string>
  /** A row in `probe_deliveries` that no send accounts for. */
  readonly unexpected: ReadonlyArray<string>
  /** Rows per key above one: always empty while the primary key holds, checked so a schema change cannot hide a duplicate. */
  readonly duplicated: ReadonlyArray<string>
}

const key = (entityId: string, sequence: number) => `${entityId}#${sequence}`

/** Splits an `entityId#sequence` key into its entity id and sequence. */
export const parseKey = (message: string): { readonly entityId: string; readonly sequence: number } => {
  const separator = message.lastIndexOf("#")
  return { entityId: message.slice(0, separator), sequence: Number(message.slice(separator + 1)) }
}

/** Audits `rows` of `probe_deliveries` against the `sent` messages. */
export const audit = (
  sent: ReadonlyArray<{ readonly entityId: string; readonly sequence: number }>,
  rows: ReadonlyArray<DeliveryRow>
): DeliveryAuditResult => {
  const expected = new Set(sent.map((message) => key(message.entityId, message.sequence)))
  const counts = new Map<string, number>()
  for (const row of rows) {
    const rowKey = key(row.entity_id, row.sequence)
    counts.set(rowKey, (counts.get(rowKey) ?? 0) + 1)
  }
  return {
    missing: [...expected].filter((message) => !counts.has(message)),
    unexpected: [...counts.keys()].filter((message) => !expected.has(message)),
    duplicated: [...counts].filter(([, count]) => count > 1).map(([message]) => message)
  }
}
