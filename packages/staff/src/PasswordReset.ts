/**
 * The password reset itself, without a permission check: shared by
 * `StaffAccounts.resetPassword`, which checks that the actor is an admin, and
 * the operator command, which runs on the server.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { AccountNotFound } from "./AccountErrors.ts"
import * as PasswordHash from "./PasswordHash.ts"
import * as StaffAccountStore from "./StaffAccountStore.ts"
import * as StaffAudit from "./StaffAudit.ts"
import * as StaffSessions from "./StaffSessions.ts"

/**
 * Sets a generated temporary password on `accountId`, marks it
 * `must_change_password` and ends all its sessions, without a permission
 * check. `actorId` goes into the `staff.password_reset` audit row. Returns
 * the password, which exists only in this value.
 */
export const applyTemporaryPassword = Effect.fn("PasswordReset.applyTemporaryPassword")(
  function*(accountId: string, actorId: string) {
    const sql = yield* SqlClient.SqlClient
    const temporaryPassword = PasswordHash.generate()
    const passwordHash = yield* PasswordHash.hash(temporaryPassword).pipe(Effect.orDie)
    const revokedSessions = yield* sql.withTransaction(Effect.gen(function*() {
      if (!(yield* StaffAccountStore.setPassword(accountId, passwordHash, true))) {
        return yield* new AccountNotFound({ account: accountId, message: `no staff account ${accountId}; check the id in the account list` })
      }
      const revoked = yield* StaffSessions.revokeAll(accountId)
      yield* StaffAudit.record(accountId, "staff.password_reset", { actorId, revokedSessions: revoked })
      return revoked
    })).pipe(Effect.catchTag("SqlError", Effect.die))
    yield* Effect.annotateLogs(Effect.logInfo("staff password reset"), { accountId, actorId, revokedSessions })
    return temporaryPassword
  }
)
