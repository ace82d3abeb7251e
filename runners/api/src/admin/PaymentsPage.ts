/**
 * The payments page: every order's payments and refunds, newest first, each
 * linking to its order.
 */
import { formatDecimal } from "@pw/domain/Money"
import { escapeHtml } from "../HtmlText.ts"
import { formatStatus, formatTime, formatUsd } from "./AdminFormat.ts"
import type { PaymentListing, RefundListing } from "./queries/PaymentsQuery.ts"

/** Most payments, and most refunds, the page lists. */
export const paymentsLimit = 100

/** `amount` in the minor unit of `currency` as text: `$1,234.56` for USD, `12.00 CAD` otherwise. */
const formatAmount = (amount: number, currency: string): string =>
  currency === "USD" ? formatUsd(amount) : `${amount < 0 ? "-" : ""}${formatDecimal(Math.abs(amount))} ${currency}`

const orderLink = (orderId: string): string =>
  `<a href="/admin/orders/${encodeURIComponent(orderId)}">${escapeHtml(orderId)}</a>`

const paymentRow = (payment: PaymentListing): string => `<tr>
<th scope="row">${escapeHtml(payment.id)}</th>
<td>${orderLink(payment.orderId)}</td>
<td>${escapeHtml(payment.gateway)}</td>
<td>${escapeHtml(payment.method)}</td>
<td>${escapeHtml(formatStatus(payment.status))}</td>
<td class="amount">${escapeHtml(formatAmount(payment.amount, payment.currency))}</td>
<td>${escapeHtml(formatTime(payment.recordedAt))}</td>
</tr>`

const refundRow = (refund: RefundListing): string => `<tr>
<th scope="row">${escapeHtml(refund.id)}</th>
<td>${orderLink(refund.orderId)}</td>
<td>${escapeHtml(refund.paymentId)}</td>
<td class="amount">${escapeHtml(formatAmount(refund.amount, refund.currency))}</td>
<td>${escapeHtml(refund.reason)}</td>
<td>${escapeHtml(formatTime(refund.recordedAt))}</td>
</tr>`

const limitNote = (count: number, what: string): string =>
  count === paymentsLimit ? `<p class="hint">Only the newest ${paymentsLimit} ${what} are shown; open an order for all of its own.</p>` : ""

/** Renders the payments page body for `payments` and `refunds`, both newest first. */
export const renderPayments = (payments: ReadonlyArray<PaymentListing>, refunds: ReadonlyArray<RefundListing>): string => {
  const paymentTable = payments.length === 0
    ? `<p id="no-payments">No payments are recorded.</p>`
    : `<table id="payments">
<caption>Payments, newest first</caption>
<thead><tr><th scope="col">Payment</th><th scope="col">Order</th><th scope="col">Gateway</th><th scope="col">Method</th><th scope="col">Status</th><th scope="col" class="amount">Amount</th><th scope="col">Recorded</th></tr></thead>
<tbody>
${payments.map(paymentRow).join("\n")}
</tbody>
</table>`
  const refundTable = refunds.length === 0
    ? `<p id="no-refunds">No refunds are recorded.</p>`
    : `<table id="refunds">
<caption>Refunds, newest first</caption>
<thead><tr><th scope="col">Refund</th><th scope="col">Order</th><th scope="col">Payment</th><th scope="col" class="amount">Amount</th><th scope="col">Reason</th><th scope="col">Recorded</th></tr></thead>
<tbody>
${refunds.map(refundRow).join("\n")}
</tbody>
</table>`
  return `<h2>Payments</h2>
${paymentTable}
${limitNote(payments.length, "payments")}
<h2>Refunds</h2>
${refundTable}
${limitNote(refunds.length, "refunds")}`
}
