/**
 * The page shell of the admin console: skip link, navigation, the signed-in
 * member with the sign-out form, and `<main>` holding the page's one `<h1>`.
 * htmx boosts links and forms when its script loads; every form also works
 * as a plain POST followed by a 303 redirect.
 */
import { escapeHtml } from "../HtmlText.ts"
import type * as StaffSessions from "@pw/staff/StaffSessions"
import { Redacted } from "effect"

/** A section of the console in the navigation. */
export type Section = "dashboard" | "orders" | "todos" | "carriers" | "fcc-check" | "payments" | "cluster"

/** Navigation entries in display order, with their paths. */
export const sections: ReadonlyArray<{ readonly section: Section; readonly label: string; readonly path: string }> = [
  { section: "dashboard", label: "Dashboard", path: "/admin" },
  { section: "orders", label: "Orders", path: "/admin/orders" },
  { section: "todos", label: "To-dos", path: "/admin/todos" },
  { section: "carriers", label: "Carriers", path: "/admin/carriers" },
  { section: "fcc-check", label: "FCC check", path: "/admin/fcc-check" },
  { section: "payments", label: "Payments", path: "/admin/payments" },
  { section: "cluster", label: "Cluster", path: "/admin/cluster" }
]

// htmx swaps every response, errors included, so a 403 or 409 page shows as it does without htmx.
// Its indicator styles are off because the content security policy forbids inline styles.
const htmxConfig = JSON.stringify({
  includeIndicatorStyles: false,
  responseHandling: [{ code: "204", swap: false }, { code: "...", swap: true }]
})

const head = (title: string): string => `<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Performance West staff</title>
<meta name="htmx-config" content="${escapeHtml(htmxConfig)}">
<link rel="stylesheet" href="/admin/assets/admin.css">
<script src="/admin/assets/htmx.min.js" defer></script>
</head>`

/** The hidden `_csrf` field of every console form. */
export const csrfField = (session: StaffSessions.StaffSession): string =>
  `<input type="hidden" name="_csrf" value="${escapeHtml(Redacted.value(session.csrfToken))}">`

/** Contents of one console page. */
export interface ConsolePage {
  readonly title: string
  readonly section: Section | undefined
  /** Markup inside `<main>` after the `<h1>`; every value in it is escaped by the caller. */
  readonly body: string
  /** A status line shown above the body, such as the result of the last action. */
  readonly notice?: { readonly kind: "success" | "error"; readonly text: string } | undefined
}

const navigation = (current: Section | undefined): string =>
  sections.map(({ section, label, path }) =>
    `<li><a href="${path}"${section === current ? " aria-current=\"page\"" : ""}>${escapeHtml(label)}</a></li>`
  ).join("")

/** Renders a console page for the signed-in `session`. */
export const renderConsolePage = (session: StaffSessions.StaffSession, page: ConsolePage): string => {
  const headers = escapeHtml(JSON.stringify({ "X-CSRF-Token": Redacted.value(session.csrfToken) }))
  const notice = page.notice === undefined
    ? ""
    : `<p class="notice ${page.notice.kind}" role="${page.notice.kind === "error" ? "alert" : "status"}">${escapeHtml(page.notice.text)}</p>`
  return `<!doctype html>
<html lang="en">
${head(page.title)}
<body hx-boost="true" hx-headers="${headers}">
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header">
<p class="brand"><a href="/admin">Performance West staff</a></p>
<nav aria-label="Console"><ul>${navigation(page.section)}${session.role === "admin" ? "<li><a href=\"/admin/staff\">Staff</a></li>" : ""}<li><a href="/admin/account">Your account</a></li></ul></nav>
<div class="account">
<span>${escapeHtml(session.name)} (${escapeHtml(session.role)})</span>
<form method="post" action="/admin/sign-out">${csrfField(session)}<button type="submit" class="link-button">Sign out</button></form>
</div>
</header>
<main id="main" tabindex="-1">
<h1>${escapeHtml(page.title)}</h1>
${notice}
${page.body}
</main>
</body>
</html>
`
}

/** Renders a page outside the signed-in console, such as the sign-in form, with `body` after the `<h1>`. */
export const renderPublicPage = (title: string, body: string): string => `<!doctype html>
<html lang="en">
${head(title)}
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header"><p class="brand">Performance West staff</p></header>
<main id="main" tabindex="-1" class="narrow">
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`

/** A page that only states `message`, for error responses. */
export const renderMessagePage = (title: string, message: string): string =>
  renderPublicPage(title, `<p>${escapeHtml(message)}</p>\n<p><a href="/admin">Back to the console</a></p>`)
