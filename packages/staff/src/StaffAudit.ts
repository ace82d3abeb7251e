/**
 * Audit rows of staff accounts: entity type `StaffAccount`, entity id the
 * account changed (or `unknown` for a sign-in with an e-mail that has no
 * account), and an event such as `staff.created` or `staff.sign_in_failed`.
 */
import * as AuditLog from "@pw/db/AuditLog"
import { Effect } from "effect"
import { randomUUID } from "node:crypto"

/** Entity type of every staff audit row. */
export const entityType = "StaffAccount"

/** Entity id of a failed sign-in whose e-mail has no account. */
export const unknownAccountId = "unknown"

/** Actor recorded for changes made by `npm run staff` on the server. */
export const commandLineActor = "command-line"

/**
 * Records `event` for account `accountId`. Each call is a new occurrence, so
 * the request id is random. `data` must not contain passwords, codes, tokens
 * or keys.
 */
export const record = Effect.fn("StaffAudit.record")(function*(accountId: string, event: string, data: Record<string, unknown>) {
  yield* AuditLog.record({ entityType, entityId: accountId, requestId: randomUUID(), event, data })
})
