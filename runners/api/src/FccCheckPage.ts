/**
 * The printable HTML report of an FCC compliance check: a table of
 * findings with their status, rule, due date and source, and the
 * remediation quote. Every value is escaped.
 */
import type { Finding, FindingStatus, FccCheckReport } from "@pw/fcc-check/FccCheckReport"
import { formatDecimal } from "@pw/domain/Money"
import { escapeHtml } from "./HtmlText.ts"

/** The label of each finding status, as reports print it. */
export const statusLabels: Readonly<Record<FindingStatus, string>> = {
  ok: "OK",
  action_needed: "Action needed",
  missing: "Missing",
  unknown: "Unknown",
  question: "Question",
  not_applicable: "Not applicable"
}

const style = `
body { font-family: "Liberation Sans", Arial, sans-serif; margin: 2rem; color: #1a1a1a; }
h1 { font-size: 1.4rem; } table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: 0.4rem; text-align: left; vertical-align: top; font-size: 0.9rem; }
.status { font-weight: bold; white-space: nowrap; }
.ok { color: #176b2c; } .missing { color: #a30000; } .action_needed { color: #8a4b00; }
@media print { body { margin: 0; } a { color: inherit; } }
`

const findingRow = (finding: Finding): string => {
  const questions = (finding.questions ?? [])
    .map((question) => `<li>${escapeHtml(question.text)}${question.answer === undefined ? "" : ` <strong>${question.answer ? "Yes" : "No"}</strong>`}</li>`)
    .join("")
  const source = finding.source.url === undefined
    ? escapeHtml(finding.source.name)
    : `<a href="${escapeHtml(finding.source.url)}">${escapeHtml(finding.source.name)}</a>`
  return `<tr>
<th scope="row">${escapeHtml(finding.title)}</th>
<td class="status ${finding.status}">${statusLabels[finding.status]}</td>
<td>${escapeHtml(finding.explanation)}${questions === "" ? "" : `<ul>${questions}</ul>`}<br><small>${escapeHtml(finding.rule)}</small></td>
<td>${finding.dueDate === undefined ? "" : escapeHtml(finding.dueDate)}</td>
<td>${source}${finding.source.asOf === undefined ? "" : `, as of ${escapeHtml(finding.source.asOf)}`}</td>
<td>${finding.remedy === undefined ? "" : escapeHtml(finding.remedy.name)}</td>
</tr>`
}

const remediationSection = (report: FccCheckReport): string => {
  const remediation = report.remediation
  if (remediation === undefined) return "<p>Nothing needs action on the data loaded here.</p>"
  const quote = remediation.quote
  const lines = quote.lines.map((line) => `<tr><td>${escapeHtml(line.name)}</td><td>$${formatDecimal(line.amount)}</td></tr>`).join("")
  return `<h2>Remediation quote</h2>
<table>
<thead><tr><th scope="col">Service</th><th scope="col">Price</th></tr></thead>
<tbody>${lines}
<tr><td>Multi-service discount (${quote.discountBasisPoints / 100} %)</td><td>-$${formatDecimal(quote.discount)}</td></tr>
<tr><td>Surcharge for ${escapeHtml(quote.paymentMethod)}</td><td>$${formatDecimal(quote.surcharge)}</td></tr>
<tr><th scope="row">Total</th><td><strong>$${formatDecimal(quote.total)}</strong></td></tr>
</tbody></table>
<p>Order these services with <code>POST /v1/orders</code> and the prefilled order of the JSON report${remediation.fieldsToComplete.length === 0 ? "" : `, after filling in ${escapeHtml(remediation.fieldsToComplete.join(", "))}`}.</p>`
}

/** Renders the report as a complete HTML document. */
export const renderCheckPage = (report: FccCheckReport): string => {
  const name = report.carrier.legalName ?? "Unknown carrier"
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>FCC compliance check: FRN ${escapeHtml(report.frn)}</title><style>${style}</style></head>
<body>
<h1>FCC compliance check for ${escapeHtml(name)}</h1>
<p>FRN ${escapeHtml(report.frn)}${report.carrier.filer499Id === undefined ? "" : `, 499 Filer ID ${escapeHtml(report.carrier.filer499Id)}`}. Checked on ${escapeHtml(report.checkedOn)}.</p>
<table>
<thead><tr><th scope="col">Obligation</th><th scope="col">Status</th><th scope="col">Finding and rule</th><th scope="col">Due</th><th scope="col">Source</th><th scope="col">Remedy</th></tr></thead>
<tbody>
${report.findings.map(findingRow).join("\n")}
</tbody>
</table>
${remediationSection(report)}
</body>
</html>
`
}
