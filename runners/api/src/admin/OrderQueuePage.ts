/**
 * The order queue: a status filter (a GET form) and a table of orders,
 * newest first, each linking to its detail page.
 */
import { OrderStatus } from "@pw/domain/Order"
import { escapeHtml } from "../HtmlText.ts"
import { formatStatus, formatTime, formatUsd } from "./AdminFormat.ts"
import { queueLimit, type QueueRow } from "./OrderQueries.ts"

const filterForm = (selected: OrderStatus | undefined): string => {
  const options = OrderStatus.literals.map((status) =>
    `<option value="${status}"${status === selected ? " selected" : ""}>${escapeHtml(formatStatus(status))}</option>`
  ).join("")
  return `<form method="get" action="/admin/orders" class="inline">
<div><label for="status">Status</label>
<select id="status" name="status"><option value="">All statuses</option>${options}</select></div>
<button type="submit">Filter</button>
</form>`
}

const row = (order: QueueRow): string => `<tr>
<td><a href="/admin/orders/${encodeURIComponent(order.id)}">${escapeHtml(order.id)}</a></td>
<td>${escapeHtml(order.legal_name)}</td>
<td>${escapeHtml(order.frn)}</td>
<td>${escapeHtml(formatStatus(order.status))}</td>
<td class="amount">${escapeHtml(formatUsd(order.total))}</td>
<td>${escapeHtml(formatTime(order.created_at))}</td>
</tr>`

/** Renders the queue body for `orders`, filtered by `selected` when set. */
export const renderOrderQueue = (orders: ReadonlyArray<QueueRow>, selected: OrderStatus | undefined): string => {
  const caption = selected === undefined ? "All orders, newest first" : `Orders with status ${formatStatus(selected)}, newest first`
  const table = orders.length === 0
    ? `<p>No orders${selected === undefined ? "" : ` with status ${escapeHtml(formatStatus(selected))}`}.</p>`
    : `<table id="orders">
<caption>${escapeHtml(caption)}</caption>
<thead><tr><th scope="col">Order</th><th scope="col">Carrier</th><th scope="col">FRN</th><th scope="col">Status</th><th scope="col" class="amount">Total</th><th scope="col">Created</th></tr></thead>
<tbody>
${orders.map(row).join("\n")}
</tbody>
</table>`
  const limitNote = orders.length === queueLimit ? `<p class="hint">Only the newest ${queueLimit} orders are shown; filter by status to narrow the list.</p>` : ""
  return `${filterForm(selected)}\n${table}\n${limitNote}`
}
