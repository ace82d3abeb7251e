/**
 * The FCC check page of the console: a GET form with the FRN and the
 * broadband and voice answers, and the check's findings and remediation
 * quote in the console layout. The table has the columns of the printable
 * report in `FccCheckPage.ts`, which the page links to. That report is a
 * whole document with an inline stylesheet, which the console's content
 * security policy would block, so its rows are rendered here again.
 */
import { formatDecimal } from "@pw/domain/Money"
import type { FccCheckReport, Finding } from "@pw/fcc-check/FccCheckReport"
import { statusLabels } from "../FccCheckPage.ts"
import { escapeHtml } from "../HtmlText.ts"

/** An answer to a yes/no question of the check, as the form's selects send it. */
export type Answer = "unknown" | "yes" | "no"

/** Values of the check form, as entered. */
export interface CheckForm {
  readonly frn: string
  readonly broadband: Answer
  readonly voice: Answer
}

const answerSelect = (name: string, label: string, selected: Answer): string => {
  const options = (["unknown", "yes", "no"] as const).map((answer) =>
    `<option value="${answer}"${answer === selected ? " selected" : ""}>${answer === "unknown" ? "Not known" : answer === "yes" ? "Yes" : "No"}</option>`
  ).join("")
  return `<div><label for="${name}">${label}</label><select id="${name}" name="${name}">${options}</select></div>`
}

/** Renders the check form filled in with `form`; `invalid` marks the FRN field invalid. */
export const renderCheckForm = (form: CheckForm, invalid: boolean): string => `<form method="get" action="/admin/fcc-check" class="inline">
<div><label for="frn">FRN</label>
<input type="text" id="frn" name="frn" value="${escapeHtml(form.frn)}" inputmode="numeric" maxlength="20" autocomplete="off" aria-describedby="frn-hint"${invalid ? " aria-invalid=\"true\"" : ""}></div>
${answerSelect("broadband", "Offers broadband internet access", form.broadband)}
${answerSelect("voice", "Offers voice service", form.voice)}
<button type="submit">Check</button>
</form>
<p class="hint" id="frn-hint">The FCC Registration Number: 10 digits with leading zeros, such as 0018538512.</p>`

const findingRow = (finding: Finding): string => {
  const questions = (finding.questions ?? [])
    .map((question) => `<li>${escapeHtml(question.text)}${question.answer === undefined ? "" : ` <strong>${question.answer ? "Yes" : "No"}</strong>`}</li>`)
    .join("")
  const source = finding.source.url === undefined
    ? escapeHtml(finding.source.name)
    : `<a href="${escapeHtml(finding.source.url)}">${escapeHtml(finding.source.name)}</a>`
  return `<tr data-finding="${escapeHtml(finding.key)}">
<th scope="row">${escapeHtml(finding.title)}</th>
<td>${statusLabels[finding.status]}</td>
<td>${escapeHtml(finding.explanation)}${questions === "" ? "" : `<ul>${questions}</ul>`}<br><small>${escapeHtml(finding.rule)}</small></td>
<td>${escapeHtml(finding.dueDate ?? "")}</td>
<td>${source}${finding.source.asOf === undefined ? "" : `, as of ${escapeHtml(finding.source.asOf)}`}</td>
<td>${escapeHtml(finding.remedy?.name ?? "")}</td>
</tr>`
}

const remediationSection = (report: FccCheckReport): string => {
  const remediation = report.remediation
  if (remediation === undefined) return "<h2>Remediation quote</h2>\n<p>Nothing needs action on the data loaded here.</p>"
  const quote = remediation.quote
  const lines = quote.lines.map((line) =>
    `<tr><th scope="row">${escapeHtml(line.name)}</th><td class="amount">$${formatDecimal(line.amount)}</td></tr>`
  ).join("\n")
  const toComplete = remediation.fieldsToComplete.length === 0
    ? ""
    : `<p>The prefilled order still needs ${escapeHtml(remediation.fieldsToComplete.join(", "))}.</p>`
  return `<h2>Remediation quote</h2>
<table id="remediation">
<caption>Services remedying what is missing or due, priced for ${escapeHtml(quote.paymentMethod)}</caption>
<thead><tr><th scope="col">Service</th><th scope="col" class="amount">Price</th></tr></thead>
<tbody>
${lines}
<tr><th scope="row">Multi-service discount (${quote.discountBasisPoints / 100} %)</th><td class="amount">-$${formatDecimal(quote.discount)}</td></tr>
<tr><th scope="row">Surcharge for ${escapeHtml(quote.paymentMethod)}</th><td class="amount">$${formatDecimal(quote.surcharge)}</td></tr>
<tr><th scope="row">Total</th><td class="amount"><strong>$${formatDecimal(quote.total)}</strong></td></tr>
</tbody>
</table>
${toComplete}`
}

/** Builds the query string of the printable report's link from `form`'s values. */
const reportQuery = (form: CheckForm): string => {
  const query = new URLSearchParams({ frn: form.frn })
  if (form.broadband !== "unknown") query.set("broadband", form.broadband)
  if (form.voice !== "unknown") query.set("voice", form.voice)
  return query.toString()
}

/** Renders the findings and quote of `report`, checked with the answers of `form`. */
export const renderCheckReport = (report: FccCheckReport, form: CheckForm): string => {
  const carrier = report.carrier
  const identity = [
    `FRN ${report.frn}`,
    ...(carrier.filer499Id === undefined ? [] : [`499 Filer ID ${carrier.filer499Id}`]),
    `checked on ${report.checkedOn}`
  ].join(", ")
  return `<h2 id="check-result">${escapeHtml(carrier.legalName ?? "Carrier not in the loaded data")}</h2>
<p>${escapeHtml(identity)}.</p>
<table id="findings">
<caption>Findings, one per obligation</caption>
<thead><tr><th scope="col">Obligation</th><th scope="col">Status</th><th scope="col">Finding and rule</th><th scope="col">Due</th><th scope="col">Source</th><th scope="col">Remedy</th></tr></thead>
<tbody>
${report.findings.map(findingRow).join("\n")}
</tbody>
</table>
${remediationSection(report)}
<p><a href="${escapeHtml(`/v1/tools/fcc-compliance-check/report?${reportQuery(form)}`)}">Printable report for the customer</a></p>`
}
