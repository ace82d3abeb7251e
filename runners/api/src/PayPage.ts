/**
 * The pay page a customer opens from the `checkoutUrl` of an order: the
 * order summary and, while the order awaits payment, a form whose button
 * starts the checkout. The access token travels in the link's query and in a
 * hidden field of the form. Every value is escaped.
 */
import { formatDecimal } from "@pw/domain/Money"
import type { OrderView } from "@pw/domain/Order"
import { escapeHtml } from "./HtmlText.ts"

const style = `
body { font-family: "Liberation Sans", Arial, sans-serif; margin: 2rem auto; max-width: 40rem; color: #1a1a1a; }
h1 { font-size: 1.4rem; } table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { border-bottom: 1px solid #ccc; padding: 0.4rem; text-align: left; }
td.amount, th.amount { text-align: right; white-space: nowrap; }
button { font-size: 1.1rem; padding: 0.6rem 1.4rem; }
.status { font-weight: bold; }
`

/** Formats USD cents as `$1234.56`. */
export const formatUsd = (cents: number): string => `$${formatDecimal(cents)}`

const page = (title: string, body: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
${body}
</body>
</html>
`

const amountRow = (label: string, cents: number): string =>
  `<tr><th scope="row" colspan="2">${escapeHtml(label)}</th><td class="amount">${escapeHtml(formatUsd(cents))}</td></tr>`

/**
 * Renders the page of `order`. While it is `awaiting_payment` the page has a form
 * that posts `token` back to `pay`, relative to the page's own URL, so the
 * form works under any public base URL.
 */
export const renderPayPage = (order: OrderView, token: string): string => {
  const quote = order.quote
  const lines = quote.lines.map((line) =>
    `<tr><td>${escapeHtml(line.name)}${line.state === undefined ? "" : ` (${escapeHtml(line.state)})`}</td>` +
    `<td class="amount">${line.quantity}</td><td class="amount">${escapeHtml(formatUsd(line.amount + (line.governmentFee?.amount ?? 0)))}</td></tr>`
  ).join("\n")
  const adjustments = [
    quote.discount === 0 ? "" : amountRow("Multi-service discount", -quote.discount),
    quote.surcharge === 0 ? "" : amountRow(`Surcharge for ${quote.paymentMethod}`, quote.surcharge)
  ].join("")
  const payForm = order.status === "awaiting_payment"
    ? `<form method="post" action="pay">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<button type="submit">Pay ${escapeHtml(formatUsd(quote.total))}</button>
</form>`
    : `<p>Nothing to pay: the order is ${escapeHtml(order.status.replaceAll("_", " "))}.</p>`
  return page(`Order ${order.id}`, `<h1>Order ${escapeHtml(order.id)}</h1>
<p>For ${escapeHtml(order.carrier.legalName)}, FRN ${escapeHtml(order.carrier.frn)}.</p>
<p>Status: <span class="status" id="status">${escapeHtml(order.status)}</span></p>
<table>
<thead><tr><th>Service</th><th class="amount">Quantity</th><th class="amount">Amount</th></tr></thead>
<tbody>
${lines}
${adjustments}
${amountRow(`Total (${quote.paymentMethod})`, quote.total)}
</tbody>
</table>
${payForm}`)
}

/** A page that only states `message`, for the error responses of the pay page. */
export const renderMessagePage = (title: string, message: string): string =>
  page(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`)
