/**
 * The to-do page: open to-dos with forms to assign and complete each, and
 * the completed ones with their notes.
 */
import type { StaffAccount } from "@pw/staff/StaffAccount"
import type * as StaffSessions from "@pw/staff/StaffSessions"
import type { Todo } from "@pw/staff/TodoStore"
import { Option } from "effect"
import { escapeHtml } from "../HtmlText.ts"
import { formatTime } from "./AdminFormat.ts"
import { csrfField } from "./AdminLayout.ts"

/** Data of the to-do page. */
export interface TodoLists {
  readonly open: ReadonlyArray<Todo>
  readonly completed: ReadonlyArray<Todo>
  /** Accounts to assign to and to name completers by. */
  readonly accounts: ReadonlyArray<StaffAccount>
  /** Whether the member's role may complete to-dos. */
  readonly mayComplete: boolean
}

const orderLink = (todo: Todo): string =>
  todo.orderId === undefined
    ? "none"
    : `<a href="/admin/orders/${encodeURIComponent(todo.orderId)}">${escapeHtml(todo.orderId)}</a>`

const openTodo = (todo: Todo, lists: TodoLists, session: StaffSessions.StaffSession): string => {
  const base = `/admin/todos/${encodeURIComponent(todo.id)}`
  const active = lists.accounts.filter((account) => Option.isNone(account.disabledAt))
  const options = active.map((account) =>
    `<option value="${escapeHtml(account.id)}"${account.id === todo.assignedTo ? " selected" : ""}>${escapeHtml(account.name)} (${escapeHtml(account.role)})</option>`
  ).join("")
  const headingId = `todo-${escapeHtml(todo.id)}`
  const complete = lists.mayComplete
    ? `<form method="post" action="${base}/complete">${csrfField(session)}
<label for="${headingId}-note">Note on what was done</label>
<textarea id="${headingId}-note" name="note" required maxlength="2000"></textarea>
<p><button type="submit">Complete</button></p></form>`
    : ""
  return `<li><article aria-labelledby="${headingId}">
<h3 id="${headingId}">${escapeHtml(todo.title)}</h3>
<p>${escapeHtml(todo.detail)}</p>
<dl class="facts">
<dt>Kind</dt><dd>${todo.kind === "failure" ? "Failure to look into" : "Step done by hand"}</dd>
<dt>Order</dt><dd>${orderLink(todo)}</dd>
<dt>Assignee</dt><dd>${escapeHtml(todo.assignedToName ?? "Unassigned")}</dd>
<dt>Created</dt><dd>${escapeHtml(formatTime(todo.createdAt))}</dd>
</dl>
<form method="post" action="${base}/assign" class="inline">${csrfField(session)}
<input type="hidden" name="accountId" value="${escapeHtml(session.accountId)}">
<button type="submit" class="secondary">Assign to me</button></form>
<form method="post" action="${base}/assign" class="inline">${csrfField(session)}
<div><label for="${headingId}-assignee">Assign to</label>
<select id="${headingId}-assignee" name="accountId">${options}</select></div>
<button type="submit" class="secondary">Assign</button></form>
${complete}
</article></li>`
}

const completedRow = (todo: Todo, names: ReadonlyMap<string, string>): string => `<tr>
<td>${escapeHtml(todo.title)}</td>
<td>${orderLink(todo)}</td>
<td>${escapeHtml(todo.completedBy === undefined ? "" : names.get(todo.completedBy) ?? todo.completedBy)}</td>
<td>${escapeHtml(todo.completedAt === undefined ? "" : formatTime(todo.completedAt))}</td>
<td>${escapeHtml(todo.note ?? "")}</td>
</tr>`

/** Renders the body of the to-do page for the member of `session`. */
export const renderTodos = (lists: TodoLists, session: StaffSessions.StaffSession): string => {
  const names = new Map(lists.accounts.map((account) => [account.id, account.name]))
  const open = lists.open.length === 0
    ? "<p>No open to-dos.</p>"
    : `<ul class="todos" id="open-todos">${lists.open.map((todo) => openTodo(todo, lists, session)).join("\n")}</ul>`
  const completed = lists.completed.length === 0
    ? "<p>No completed to-dos yet.</p>"
    : `<table id="completed-todos">
<thead><tr><th scope="col">To-do</th><th scope="col">Order</th><th scope="col">Completed by</th><th scope="col">Completed</th><th scope="col">Note</th></tr></thead>
<tbody>${lists.completed.map((todo) => completedRow(todo, names)).join("\n")}</tbody></table>`
  return `<h2>Open</h2>\n${open}\n<h2>Completed</h2>\n${completed}`
}
