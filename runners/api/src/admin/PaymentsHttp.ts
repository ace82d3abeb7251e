/**
 * GET /admin/payments: payments and refunds, for roles with `viewPayments`
 * in `StaffPermissions`; other roles get the 403 page.
 */
import { can } from "@pw/staff/StaffPermissions"
import { Effect } from "effect"
import { CurrentStaff, requireStaff } from "./AdminSession.ts"
import { renderMessagePage } from "./AdminLayout.ts"
import { htmlResponse } from "./AdminResponses.ts"
import { consoleResponse } from "./OrderPagesHttp.ts"
import { paymentsLimit, renderPayments } from "./PaymentsPage.ts"
import { listPayments, listRefunds } from "./queries/PaymentsQuery.ts"

/** GET /admin/payments. */
export const showPayments = requireStaff(Effect.gen(function*() {
  const session = yield* CurrentStaff
  if (!can(session.role, "viewPayments")) {
    yield* Effect.annotateLogs(Effect.logWarning("staff action not permitted"), { accountId: session.accountId, action: "viewPayments" })
    return htmlResponse(403, renderMessagePage("Not permitted", "Your role may not view payments. Ask an admin or a finance member if you need to."))
  }
  const payments = yield* listPayments(paymentsLimit)
  const refunds = yield* listRefunds(paymentsLimit)
  return yield* consoleResponse(200, { title: "Payments", section: "payments", body: renderPayments(payments, refunds) })
}))
