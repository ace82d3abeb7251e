/**
 * The to-do page and its forms: assign a to-do to oneself or another active
 * staff member, and complete it with a required note. TodoStore writes the
 * audit rows.
 */
import { HttpRouter, HttpServerRequest } from "@effect/platform"
import * as StaffAccounts from "@pw/staff/StaffAccounts"
import { can } from "@pw/staff/StaffPermissions"
import { TodoStore } from "@pw/staff/TodoStore"
import { Effect, Option } from "effect"
import type { ConsolePage } from "./AdminLayout.ts"
import { seeOther } from "./AdminResponses.ts"
import { CurrentStaff, formPost, requireStaff } from "./AdminSession.ts"
import { consoleResponse, forbidden } from "./OrderPagesHttp.ts"
import { renderTodos } from "./TodosPage.ts"

const doneNotices: Readonly<Record<string, string>> = {
  assigned: "The to-do is assigned.",
  completed: "The to-do is completed."
}

/** The to-do page with `status` and an optional notice. */
const todosResponse = Effect.fn("TodosHttp.todosResponse")(function*(status: number, notice: ConsolePage["notice"]) {
  const store = yield* TodoStore
  const session = yield* CurrentStaff
  const open = yield* store.list({ open: true }).pipe(Effect.orDie)
  const completed = yield* store.list({ open: false }).pipe(Effect.orDie)
  const accounts = yield* StaffAccounts.list()
  return yield* consoleResponse(status, {
    title: "To-dos",
    section: "todos",
    notice,
    body: renderTodos({ open, completed, accounts, mayComplete: can(session.role, "completeTodo") }, session)
  })
})

/** GET /admin/todos. */
export const showTodos = requireStaff(Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const done = doneNotices[new URL(request.url, "http://127.0.0.1").searchParams.get("done") ?? ""]
  return yield* todosResponse(200, done === undefined ? undefined : { kind: "success", text: done })
}))

const todoIdParam = Effect.map(HttpRouter.params, (params) => params["todoId"] ?? "")

/** POST /admin/todos/:todoId/assign: assigns the to-do to the active account in `accountId`. */
export const assignTodo = formPost((fields) =>
  Effect.gen(function*() {
    const session = yield* CurrentStaff
    const store = yield* TodoStore
    const todoId = yield* todoIdParam
    const accountId = fields["accountId"] ?? ""
    const account = yield* StaffAccounts.get(accountId)
    if (Option.isNone(account) || Option.isSome(account.value.disabledAt)) {
      return yield* todosResponse(400, { kind: "error", text: "The chosen staff member does not exist or is disabled; choose another." })
    }
    const assigned = yield* store.assign(todoId, accountId, session.accountId).pipe(
      Effect.catchTag("SqlError", Effect.die),
      Effect.either
    )
    if (assigned._tag === "Left") return yield* todosResponse(409, { kind: "error", text: assigned.left.message })
    yield* Effect.annotateLogs(Effect.logInfo("staff to-do assigned"), { todoId, assignedTo: accountId, accountId: session.accountId })
    return seeOther("/admin/todos?done=assigned")
  }))

/** POST /admin/todos/:todoId/complete: completes the to-do with the required `note`. */
export const completeTodo = formPost((fields) =>
  Effect.gen(function*() {
    const session = yield* CurrentStaff
    if (!can(session.role, "completeTodo")) return forbidden("completeTodo")
    const store = yield* TodoStore
    const todoId = yield* todoIdParam
    const note = (fields["note"] ?? "").trim()
    if (note === "") return yield* todosResponse(400, { kind: "error", text: "A note is required; say what was done, then complete the to-do." })
    if (note.length > 2000) return yield* todosResponse(400, { kind: "error", text: `The note has ${note.length} characters; the maximum is 2000.` })
    const completed = yield* store.complete(todoId, note, session.accountId).pipe(
      Effect.catchTag("SqlError", Effect.die),
      Effect.either
    )
    if (completed._tag === "Left") return yield* todosResponse(409, { kind: "error", text: completed.left.message })
    yield* Effect.annotateLogs(Effect.logInfo("staff to-do completed"), { todoId, accountId: session.accountId })
    return seeOther("/admin/todos?done=completed")
  }))
