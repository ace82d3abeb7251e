/**
 * The detail page of one order: carrier, items and quote, payments and
 * refunds, documents with a preview and the staff upload form, the review
 * actions the member's role allows, and the audit timeline.
 */
import { formatAddress } from "@pw/domain/Carrier"
import type { OrderView } from "@pw/domain/Order"
import type * as StaffSessions from "@pw/staff/StaffSessions"
import { can } from "@pw/staff/StaffPermissions"
import { escapeHtml } from "../HtmlText.ts"
import { formatStatus, formatTime, formatUsd } from "./AdminFormat.ts"
import { csrfField } from "./AdminLayout.ts"
import type { RefundRow, TimelineRow } from "./OrderQueries.ts"

/** Largest staff upload, in bytes: 20 MiB. */
export const maximumUploadBytes = 20 * 1024 * 1024

/** Data of the order detail page. */
export interface OrderDetail {
  readonly order: OrderView
  readonly refunds: ReadonlyArray<RefundRow>
  readonly timeline: ReadonlyArray<TimelineRow>
}

const orderPath = (orderId: string): string => `/admin/orders/${encodeURIComponent(orderId)}`

const carrierSection = (order: OrderView): string => `<h2>Carrier</h2>
<dl class="facts">
<dt>Legal name</dt><dd id="carrier-name">${escapeHtml(order.carrier.legalName)}</dd>
<dt>FRN</dt><dd>${escapeHtml(order.carrier.frn)}</dd>
<dt>499 Filer ID</dt><dd>${escapeHtml(order.carrier.filer499Id)}</dd>
<dt>Address</dt><dd>${escapeHtml(formatAddress(order.carrier.address))}</dd>
<dt>Contact e-mail</dt><dd>${escapeHtml(order.contactEmail ?? "none given")}</dd>
<dt>Status</dt><dd id="order-status">${escapeHtml(formatStatus(order.status))}</dd>
<dt>Created</dt><dd>${escapeHtml(formatTime(order.createdAt))}</dd>
</dl>`

const quoteSection = (order: OrderView): string => {
  const quote = order.quote
  const lines = quote.lines.map((line) => `<tr>
<td>${escapeHtml(line.name)}${line.state === undefined ? "" : ` (${escapeHtml(line.state)})`}</td>
<td class="amount">${line.quantity}</td>
<td class="amount">${escapeHtml(formatUsd(line.amount))}</td>
<td class="amount">${escapeHtml(formatUsd(line.governmentFee?.amount ?? 0))}</td>
</tr>`).join("")
  return `<h2>Items and quote</h2>
<table>
<caption>Quote for payment by ${escapeHtml(quote.paymentMethod)}</caption>
<thead><tr><th scope="col">Service</th><th scope="col" class="amount">Quantity</th><th scope="col" class="amount">Fee</th><th scope="col" class="amount">Government fee</th></tr></thead>
<tbody>${lines}</tbody>
<tfoot>
<tr><th scope="row" colspan="3">Discount</th><td class="amount">${escapeHtml(formatUsd(-quote.discount))}</td></tr>
<tr><th scope="row" colspan="3">Surcharge</th><td class="amount">${escapeHtml(formatUsd(quote.surcharge))}</td></tr>
<tr><th scope="row" colspan="3">Total</th><td class="amount">${escapeHtml(formatUsd(quote.total))}</td></tr>
</tfoot>
</table>`
}

const paymentsSection = (detail: OrderDetail): string => {
  const payments = detail.order.payments.map((payment) => `<tr>
<td>${escapeHtml(payment.id)}</td><td>${escapeHtml(payment.gateway)}</td><td>${escapeHtml(payment.method)}</td>
<td>${escapeHtml(formatStatus(payment.status))}</td><td class="amount">${escapeHtml(formatUsd(payment.amount.amount))}</td>
<td>${escapeHtml(formatTime(payment.recordedAt))}</td></tr>`).join("")
  const refunds = detail.refunds.map((refund) => `<tr>
<td>${escapeHtml(refund.id)}</td><td>${escapeHtml(refund.payment_id)}</td><td class="amount">${escapeHtml(formatUsd(refund.amount))}</td>
<td>${escapeHtml(refund.reason)}</td><td>${escapeHtml(formatTime(refund.created_at))}</td></tr>`).join("")
  return `<h2>Payments</h2>
${payments === "" ? "<p>No payments.</p>" : `<table>
<thead><tr><th scope="col">Payment</th><th scope="col">Gateway</th><th scope="col">Method</th><th scope="col">Status</th><th scope="col" class="amount">Amount</th><th scope="col">Recorded</th></tr></thead>
<tbody>${payments}</tbody></table>`}
${refunds === "" ? "" : `<table>
<caption>Refunds</caption>
<thead><tr><th scope="col">Refund</th><th scope="col">Payment</th><th scope="col" class="amount">Amount</th><th scope="col">Reason</th><th scope="col">Recorded</th></tr></thead>
<tbody>${refunds}</tbody></table>`}`
}

const documentsSection = (order: OrderView, session: StaffSessions.StaffSession): string => {
  const base = orderPath(order.id)
  const rows = order.documents.map((document) => {
    const href = `${base}/documents/${encodeURIComponent(document.id)}`
    return `<tr>
<td>${escapeHtml(document.fileName)}</td><td>${escapeHtml(document.kind)}</td>
<td class="amount">${Math.ceil(document.size / 1024)} KiB</td><td>${escapeHtml(formatTime(document.createdAt))}</td>
<td><a href="${href}" hx-boost="false" download>Download <span class="visually-hidden">${escapeHtml(document.fileName)}</span></a></td>
</tr>`
  }).join("")
  const pdf = [...order.documents].reverse().find((document) => document.contentType === "application/pdf")
  const preview = pdf === undefined
    ? ""
    : `<h3>Preview of ${escapeHtml(pdf.fileName)}</h3>
<iframe class="preview" title="Preview of ${escapeHtml(pdf.fileName)}" src="${base}/documents/${encodeURIComponent(pdf.id)}/preview"></iframe>`
  const upload = order.status === "in_progress"
    ? `<form method="post" action="${base}/documents" enctype="multipart/form-data">
${csrfField(session)}
<label for="filing-confirmation">Filing confirmation (PDF, at most 20 MB)</label>
<input type="file" id="filing-confirmation" name="file" accept="application/pdf" required>
<p><button type="submit">Upload and attach</button></p>
</form>`
    : `<p class="hint">Staff can attach a filing confirmation while the order is in progress; this order is ${escapeHtml(formatStatus(order.status).toLowerCase())}.</p>`
  return `<h2>Documents</h2>
${rows === "" ? "<p>No documents yet.</p>" : `<table id="documents">
<thead><tr><th scope="col">File</th><th scope="col">Kind</th><th scope="col" class="amount">Size</th><th scope="col">Created</th><th scope="col">File link</th></tr></thead>
<tbody>${rows}</tbody></table>`}
${preview}
<h3>Attach a filing confirmation</h3>
${upload}`
}

const actionsSection = (order: OrderView, session: StaffSessions.StaffSession): string => {
  const base = orderPath(order.id)
  const forms: Array<string> = []
  if (can(session.role, "approveOrder") && order.status === "awaiting_review") {
    forms.push(`<section aria-labelledby="approve-heading"><h3 id="approve-heading">Approve</h3>
<p>Delivers the documents to the customer, approved by ${escapeHtml(session.name)}.</p>
<form method="post" action="${base}/approve">${csrfField(session)}<button type="submit">Approve order</button></form></section>`)
  }
  if (can(session.role, "cancelOrder") && (order.status === "awaiting_payment" || order.status === "draft")) {
    forms.push(`<section aria-labelledby="cancel-heading"><h3 id="cancel-heading">Cancel</h3>
<form method="post" action="${base}/cancel">${csrfField(session)}
<label for="cancel-reason">Reason</label><textarea id="cancel-reason" name="reason" required maxlength="500"></textarea>
<p><button type="submit" class="danger">Cancel order</button></p></form></section>`)
  }
  const refundable = order.payments.filter((payment) => payment.status === "succeeded")
  if (can(session.role, "refundOrder") && refundable.length > 0) {
    const options = refundable.map((payment) =>
      `<option value="${escapeHtml(payment.id)}">${escapeHtml(payment.id)} (${escapeHtml(formatUsd(payment.amount.amount))})</option>`
    ).join("")
    forms.push(`<section aria-labelledby="refund-heading"><h3 id="refund-heading">Refund</h3>
<form method="post" action="${base}/refund">${csrfField(session)}
<label for="refund-payment">Payment</label><select id="refund-payment" name="paymentId">${options}</select>
<label for="refund-amount">Amount in USD</label><input type="text" id="refund-amount" name="amount" inputmode="decimal" required pattern="[0-9]+([.][0-9]{1,2})?" aria-describedby="refund-amount-hint">
<p class="hint" id="refund-amount-hint">Such as 149.00.</p>
<label for="refund-reason">Reason</label><textarea id="refund-reason" name="reason" required maxlength="500"></textarea>
<p><button type="submit" class="danger">Refund</button></p></form></section>`)
  }
  return `<h2>Review</h2>
${forms.length === 0 ? "<p>No review action applies to this order for your role.</p>" : `<div class="actions">${forms.join("\n")}</div>`}`
}

/** Returns who took the step, from the audit data fields that name a person. */
const actorOf = (data: Readonly<Record<string, unknown>>): string | undefined => {
  for (const key of ["approvedBy", "staffName", "actorName", "actorId", "completedBy"]) {
    const value = data[key]
    if (typeof value === "string" && value !== "") return value
  }
  return undefined
}

const timelineSection = (timeline: ReadonlyArray<TimelineRow>): string => {
  const items = timeline.map((row) => {
    const actor = actorOf(row.data)
    return `<li><strong>${escapeHtml(formatStatus(row.event.replace(/^staff\./, "")))}</strong>, <time datetime="${row.created_at.toISOString()}">${escapeHtml(formatTime(row.created_at))}</time>${actor === undefined ? "" : `, by ${escapeHtml(actor)}`}</li>`
  }).join("\n")
  return `<h2>Timeline</h2>
${items === "" ? "<p>No recorded events.</p>" : `<ol class="timeline" id="timeline">\n${items}\n</ol>`}`
}

/** Renders the body of the order detail page for the member of `session`. */
export const renderOrderDetail = (detail: OrderDetail, session: StaffSessions.StaffSession): string =>
  [
    `<p><a href="/admin/orders">Back to the order queue</a></p>`,
    carrierSection(detail.order),
    quoteSection(detail.order),
    actionsSection(detail.order, session),
    documentsSection(detail.order, session),
    paymentsSection(detail),
    timelineSection(detail.timeline)
  ].join("\n")
