/**
 * The console dashboard: the key figures as numbers, and orders by status
 * as a bar chart with its table.
 */
import { escapeHtml } from "../HtmlText.ts"
import { formatUsd } from "./AdminFormat.ts"
import type { Dashboard } from "./queries/DashboardQuery.ts"
import { renderStatusChart } from "./StatusChart.ts"

const stat = (id: string, label: string, value: string): string =>
  `<li><span class="value" id="${id}">${escapeHtml(value)}</span> ${escapeHtml(label)}</li>`

/** Renders the body of the dashboard page. */
export const renderDashboard = (figures: Dashboard): string => {
  const totalOrders = figures.ordersByStatus.reduce((sum, row) => sum + row.count, 0)
  const awaitingReview = figures.ordersByStatus.find((row) => row.status === "awaiting_review")?.count ?? 0
  return `<ul class="stats">
${stat("orders-total", "orders in total", String(totalOrders))}
${stat("orders-awaiting-review", "orders awaiting review", String(awaitingReview))}
${stat("entries-due-soon", "compliance entries due in the next 30 days", String(figures.entriesDueSoon))}
${stat("entries-overdue", "compliance entries overdue", String(figures.entriesOverdue))}
${stat("revenue-this-month", "revenue this month, payments less refunds", formatUsd(figures.revenueThisMonth))}
</ul>
<h2>Orders by status</h2>
${renderStatusChart(figures.ordersByStatus)}
<p><a href="/admin/orders?status=awaiting_review">Review the orders awaiting review</a></p>`
}
