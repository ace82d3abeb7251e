/**
 * The roles a staff account can have.
 */
import { Schema } from "effect"

/**
 * A staff account's role: `admin` runs the console and manages staff,
 * `reviewer` approves and cancels orders, `finance` handles payments and
 * refunds. What each may do is in `StaffPermissions`.
 */
export const StaffRole = Schema.Literal("admin", "reviewer", "finance")

/** One of `admin`, `reviewer`, `finance`. */
export type StaffRole = typeof StaffRole.Type

/** Whether accounts with `role` must enter a TOTP code at sign-in: admin and finance must, a reviewer only once enrolled. */
export const requiresTotp = (role: StaffRole): boolean => role === "admin" || role === "finance"
