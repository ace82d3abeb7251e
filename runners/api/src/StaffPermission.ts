/**
 * Role checks of the staff API: the same permissions as the admin console,
 * for the member a staff key acts as.
 */
import { Forbidden } from "@pw/api/ApiErrors"
import { StaffMember } from "@pw/api/Security"
import { can, type StaffAction } from "@pw/staff/StaffPermissions"
import { Effect } from "effect"

/** Fails with 403 unless the acting staff member's role may take `action`. */
export const requireStaffPermission = Effect.fn("StaffPermission.requireStaffPermission")(function*(action: StaffAction) {
  const staff = yield* StaffMember
  if (can(staff.role, action)) return
  yield* Effect.annotateLogs(Effect.logWarning("staff action not permitted"), { staff: staff.name, role: staff.role, action })
  return yield* new Forbidden({ message: `the ${staff.role} role may not ${action}; ask an admin`, field: "X-Staff-Key" })
})
