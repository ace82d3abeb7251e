import { describe, expect, it } from "@effect/vitest"
import { can, type StaffAction } from "../src/StaffPermissions.ts"
import type { StaffRole } from "../src/StaffRole.ts"

const expected: ReadonlyArray<readonly [StaffAction, ReadonlyArray<StaffRole>]> = [
  ["approveOrder", ["admin", "reviewer"]],
  ["cancelOrder", ["admin", "reviewer"]],
  ["refundOrder", ["admin", "finance"]],
  ["viewPayments", ["admin", "finance"]],
  ["manageStaff", ["admin"]],
  ["waiveEntry", ["admin", "reviewer"]],
  ["completeTodo", ["admin", "reviewer", "finance"]]
]

const roles: ReadonlyArray<StaffRole> = ["admin", "reviewer", "finance"]

describe("StaffPermissions", () => {
  for (const [action, allowed] of expected) {
    for (const role of roles) {
      it(`${role} ${allowed.includes(role) ? "may" : "may not"} ${action}`, () => {
        expect(can(role, action)).toBe(allowed.includes(role))
      })
    }
  }
})
