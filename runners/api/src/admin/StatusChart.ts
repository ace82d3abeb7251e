/**
 * The dashboard's bar chart of orders by status, as inline SVG rendered on
 * the server. Each bar carries `data-status` and `data-count` and a
 * `<title>`; the SVG is hidden from assistive technology, which reads the
 * visually hidden table of the same data instead.
 */
import { escapeHtml } from "../HtmlText.ts"
import { formatStatus } from "./AdminFormat.ts"

const rowHeight = 28
const labelWidth = 150
const barArea = 420
const countWidth = 50

/** Renders the chart and its table for `rows`. */
export const renderStatusChart = (rows: ReadonlyArray<{ readonly status: string; readonly count: number }>): string => {
  const maximum = Math.max(1, ...rows.map((row) => row.count))
  const height = rows.length * rowHeight
  const bars = rows.map((row, index) => {
    const y = index * rowHeight
    const width = row.count === 0 ? 0 : Math.max(2, Math.round((row.count / maximum) * barArea))
    const label = formatStatus(row.status)
    return `<g>
<text class="label" x="${labelWidth - 8}" y="${y + 18}" text-anchor="end">${escapeHtml(label)}</text>
<rect class="bar" x="${labelWidth}" y="${y + 5}" width="${width}" height="${rowHeight - 10}" data-status="${escapeHtml(row.status)}" data-count="${row.count}"><title>${escapeHtml(label)}: ${row.count}</title></rect>
<text class="count" x="${labelWidth + width + 6}" y="${y + 18}">${row.count}</text>
</g>`
  }).join("\n")
  const tableRows = rows.map((row) =>
    `<tr><th scope="row">${escapeHtml(formatStatus(row.status))}</th><td class="amount">${row.count}</td></tr>`
  ).join("")
  return `<figure class="chart">
<svg aria-hidden="true" focusable="false" viewBox="0 0 ${labelWidth + barArea + countWidth} ${height}" width="${labelWidth + barArea + countWidth}" height="${height}">
${bars}
</svg>
<figcaption class="hint">Orders by status, one bar each.</figcaption>
</figure>
<table class="visually-hidden">
<caption>Orders by status</caption>
<thead><tr><th scope="col">Status</th><th scope="col" class="amount">Orders</th></tr></thead>
<tbody>${tableRows}</tbody>
</table>`
}
