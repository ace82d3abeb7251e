/**
 * The dashboard, the JSON figures under `/admin/api/`, and the page of an
 * unknown console path.
 */
import { Effect } from "effect"
import { renderMessagePage } from "./AdminLayout.ts"
import { htmlResponse, jsonResponse } from "./AdminResponses.ts"
import { requireStaff, requireStaffApi } from "./AdminSession.ts"
import { renderDashboard } from "./DashboardPage.ts"
import { readDashboard } from "./queries/DashboardQuery.ts"
import { consoleResponse } from "./OrderPagesHttp.ts"

/** GET /admin: the dashboard. */
export const showDashboard = requireStaff(Effect.gen(function*() {
  const figures = yield* readDashboard()
  return yield* consoleResponse(200, { title: "Dashboard", section: "dashboard", body: renderDashboard(figures) })
}))

/** GET /admin/api/dashboard: the dashboard's figures as JSON. */
export const dashboardJson = requireStaffApi(Effect.map(readDashboard(), (figures) => jsonResponse(200, figures)))

/** Any other path under /admin for a signed-in member: 404. */
export const showNotFound = requireStaff(Effect.succeed(
  htmlResponse(404, renderMessagePage("Page not found", "No console page has this address. Use the navigation to find what you need."))
))

/** Any other path under /admin/api: 401 without a session, 404 JSON with one. */
export const apiNotFound = requireStaffApi(Effect.succeed(
  jsonResponse(404, { _tag: "NotFound", message: "no console API endpoint has this path; GET /admin/api/dashboard is the one available" })
))
