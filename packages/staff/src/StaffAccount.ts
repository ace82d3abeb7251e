/**
 * A staff account as the console shows it, without its secrets.
 */
import type { Option } from "effect"
import type { StaffRole } from "./StaffRole.ts"

/** A staff account; the password hash and TOTP secret never leave the store. */
export interface StaffAccount {
  /** `stf_` and 24 hex digits. */
  readonly id: string
  /** Lower-case sign-in e-mail, unique. */
  readonly email: string
  readonly name: string
  readonly role: StaffRole
  /** Whether a TOTP secret is enrolled. */
  readonly totpEnrolled: boolean
  /** Set by a password reset: the console must make the member choose a new password before anything else. */
  readonly mustChangePassword: boolean
  /** When an admin disabled the account; a disabled account cannot sign in or use its API keys. */
  readonly disabledAt: Option.Option<Date>
  readonly createdAt: Date
}
