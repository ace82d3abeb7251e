/**
 * The permission map of the admin console: the staff roles allowed each action.
 */
import { Schema } from "effect"
import type { StaffRole } from "./StaffRole.ts"

/** An action in the console that only some roles may take. */
export const StaffAction = Schema.Literal(
  "approveOrder",
  "cancelOrder",
  "refundOrder",
  "viewPayments",
  "manageStaff",
  "waiveEntry",
  "completeTodo"
)

/** One of the {@link StaffAction} names. */
export type StaffAction = typeof StaffAction.Type

/** The roles allowed each action. `manageStaff` covers accounts, password resets, TOTP enrolment of others and API keys. */
export const permissions: { readonly [A in StaffAction]: ReadonlyArray<StaffRole> } = {
  approveOrder: ["admin", "reviewer"],
  cancelOrder: ["admin", "reviewer"],
  refundOrder: ["admin", "finance"],
  viewPayments: ["admin", "finance"],
  manageStaff: ["admin"],
  waiveEntry: ["admin", "reviewer"],
  completeTodo: ["admin", "reviewer", "finance"]
}

/** Whether `role` may take `action`. */
export const can = (role: StaffRole, action: StaffAction): boolean => permissions[action].includes(role)
