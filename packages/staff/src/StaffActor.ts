/**
 * Permission checks on the staff member who takes an action.
 */
import { Effect, Option } from "effect"
import { NotPermitted } from "./AccountErrors.ts"
import * as StaffAccountStore from "./StaffAccountStore.ts"
import { can, type StaffAction } from "./StaffPermissions.ts"

/**
 * Returns the account of `actorId` when it exists, is not disabled and its
 * role may take `action`; fails with {@link NotPermitted} otherwise.
 */
export const authorize = Effect.fn("StaffActor.authorize")(function*(actorId: string, action: StaffAction) {
  const actor = yield* StaffAccountStore.findById(actorId)
  if (Option.isNone(actor) || actor.value.disabled_at !== null) {
    return yield* new NotPermitted({
      actorId,
      action,
      message: `staff account ${actorId} does not exist or is disabled, so it may not ${action}; sign in with an active account`
    })
  }
  if (!can(actor.value.role, action)) {
    return yield* new NotPermitted({
      actorId,
      action,
      message: `staff account ${actorId} has role ${actor.value.role}, which may not ${action}; ask an admin`
    })
  }
  return actor.value
})
