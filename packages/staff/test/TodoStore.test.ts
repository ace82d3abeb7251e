/**
 * Staff to-dos against a real PostgreSQL: idempotent creation, listing order
 * and filters, assigning and completing with their audit rows and errors.
 */
import { describe, expect, layer } from "@effect/vitest"
import * as AuditLog from "@pw/db/AuditLog"
import { DateTime, Effect, Layer, Option, TestClock } from "effect"
import { TodoStore } from "../src/TodoStore.ts"
import { layer as staffLayer, seedAccount } from "./support/StaffFixtures.ts"

const testLayer = TodoStore.layer.pipe(Layer.provideMerge(staffLayer))

const day = 24 * 60 * 60 * 1000

const newTodo = (dedupeKey: string) => ({
  dedupeKey,
  kind: "manual_step" as const,
  title: `Do ${dedupeKey} by hand`,
  detail: "No automated portal for this service."
})

layer(testLayer)("TodoStore", (it) => {
  describe("create", () => {
    it.effect("stores every field", () =>
      Effect.gen(function*() {
        const store = yield* TodoStore
        yield* TestClock.setTime(Date.UTC(2026, 11, 7, 9))
        const todo = yield* store.create({
          dedupeKey: "order:ord_fields:file-cpni",
          kind: "failure",
          title: "Certification for Example Telecom LLC could not be generated",
          detail: "The template rejected the facts.",
          orderId: "ord_fields",
          entryKey: "0000000001:fcc-cpni-certification:2025"
        })
        expect(todo.id).toMatch(/^todo_[0-9a-f]{24}$/)
        expect(todo.kind).toBe("failure")
        expect(todo.orderId).toBe("ord_fields")
        expect(todo.entryKey).toBe("0000000001:fcc-cpni-certification:2025")
        expect(todo.assignedTo).toBeUndefined()
        expect(todo.completedAt).toBeUndefined()
        expect(DateTime.toEpochMillis(todo.createdAt)).toBe(Date.UTC(2026, 11, 7, 9))
        expect(yield* store.get(todo.id)).toEqual(Option.some(todo))
      }))

    it.effect("same dedupe key returns existing", () =>
      Effect.gen(function*() {
        const store = yield* TodoStore
        const first = yield* store.create(newTodo("order:ord_twice:file-cpni"))
        const second = yield* store.create({ ...newTodo("order:ord_twice:file-cpni"), title: "Another title" })
        expect(second).toEqual(first)
      }))

    it.effect("completed dedupe key stays completed", () =>
      Effect.gen(function*() {
        const store = yield* TodoStore
        const reviewer = yield* seedAccount("todo-redeliver", "reviewer", false)
        const first = yield* store.create(newTodo("order:ord_redeliver:file-cpni"))
        const completed = yield* store.complete(first.id, "Filed on ECFS", reviewer.id)
        const again = yield* store.create(newTodo("order:ord_redeliver:file-cpni"))
        expect(again).toEqual(completed)
      }))

    it.effect("get of unknown id is none", () =>
      Effect.gen(function*() {
        const store = yield* TodoStore
        expect(Option.isNone(yield* store.get("todo_unknown"))).toBe(true)
      }))
  })

  describe("list", () => {
    it.effect("open oldest first, then completed newest", () =>
      Effect.gen(function*() {
        const store = yield* TodoStore
        const owner = yield* seedAccount("todo-list-owner", "reviewer", false)
        const start = Date.UTC(2027, 0, 1)
        const created = []
        for (const [index, name] of ["a", "b", "c", "d"].entries()) {
          yield* TestClock.setTime(start + index * day)
          const todo = yield* store.create(newTodo(`list-order:${name}`))
          yield* store.assign(todo.id, owner.id, owner.id)
          created.push(todo.id)
        }
        const [a, b, c, d] = created
        yield* TestClock.setTime(start + 10 * day)
        yield* store.complete(a ?? "", "done first", owner.id)
        yield* TestClock.setTime(start + 11 * day)
        yield* store.complete(c ?? "", "done second", owner.id)

        const all = yield* store.list({ assignedTo: owner.id })
        expect(all.map((todo) => todo.id)).toEqual([b, d, c, a])
        const open = yield* store.list({ open: true, assignedTo: owner.id })
        expect(open.map((todo) => todo.id)).toEqual([b, d])
        const closed = yield* store.list({ open: false, assignedTo: owner.id })
        expect(closed.map((todo) => todo.id)).toEqual([c, a])
      }))

    it.effect("unfiltered list includes unassigned", () =>
      Effect.gen(function*() {
        const store = yield* TodoStore
        const todo = yield* store.create(newTodo("list-unassigned"))
        const all = yield* store.list({})
        expect(all.some((listed) => listed.id === todo.id)).toBe(true)
      }))
  })

  describe("assign", () => {
    it.effect("sets assignee and name", () =>
      Effect.gen(function*() {
        const store = yield* TodoStore
        const admin = yield* seedAccount("todo-assign-admin", "admin", false)
        const reviewer = yield* seedAccount("todo-assignee", "reviewer", false)
        const todo = yield* store.create(newTodo("assign-name"))
        const assigned = yield* store.assign(todo.id, reviewer.id, admin.id)
        expect(assigned.assignedTo).toBe(reviewer.id)
        expect(assigned.assignedToName).toBe("todo-assignee")
      }))

    it.effect("each assignment writes an audit row", () =>
      Effect.gen(function*() {
        const store = yield* TodoStore
        const admin = yield* seedAccount("todo-audit-admin", "admin", false)
        const todo = yield* store.create(newTodo("assign-audit"))
        yield* store.assign(todo.id, admin.id, admin.id)
        yield* store.assign(todo.id, admin.id, admin.id)
        const rows = yield* AuditLog.list("StaffTodo", todo.id)
        expect(rows.map((row) => row.event)).toEqual(["todo.assigned", "todo.assigned"])
        expect(new Set(rows.map((row) => row.request_id)).size).toBe(2)
      }))

    it.effect("unknown id fails not found", () =>
      Effect.gen(function*() {
        const store = yield* TodoStore
        const admin = yield* seedAccount("todo-missing-admin", "admin", false)
        const error = yield* Effect.flip(store.assign("todo_missing", admin.id, admin.id))
        expect(error._tag).toBe("TodoNotFound")
        expect(error.message).toContain("todo_missing")
      }))

    it.effect("completed to-do fails closed", () =>
      Effect.gen(function*() {
        const store = yield* TodoStore
        const admin = yield* seedAccount("todo-closed-admin", "admin", false)
        const todo = yield* store.create(newTodo("assign-closed"))
        yield* store.complete(todo.id, "done", admin.id)
        const error = yield* Effect.flip(store.assign(todo.id, admin.id, admin.id))
        expect(error._tag).toBe("TodoClosed")
      }))
  })

  describe("complete", () => {
    it.effect("records note, actor and time", () =>
      Effect.gen(function*() {
        const store = yield* TodoStore
        const reviewer = yield* seedAccount("todo-completer", "reviewer", false)
        const todo = yield* store.create(newTodo("complete-fields"))
        yield* TestClock.setTime(Date.UTC(2027, 2, 1, 12))
        const completed = yield* store.complete(todo.id, "  Filed, confirmation 20270301001  ", reviewer.id)
        expect(completed.note).toBe("Filed, confirmation 20270301001")
        expect(completed.completedBy).toBe(reviewer.id)
        expect(completed.completedAt).toEqual(DateTime.unsafeMake(Date.UTC(2027, 2, 1, 12)))
      }))

    it.effect("writes one audit row", () =>
      Effect.gen(function*() {
        const store = yield* TodoStore
        const reviewer = yield* seedAccount("todo-complete-audit", "reviewer", false)
        const todo = yield* store.create(newTodo("complete-audit"))
        yield* store.complete(todo.id, "done", reviewer.id)
        const rows = yield* AuditLog.list("StaffTodo", todo.id)
        expect(rows.map((row) => row.event)).toEqual(["todo.completed"])
      }))

    it.effect("blank note fails", () =>
      Effect.gen(function*() {
        const store = yield* TodoStore
        const reviewer = yield* seedAccount("todo-blank-note", "reviewer", false)
        const todo = yield* store.create(newTodo("complete-blank"))
        const error = yield* Effect.flip(store.complete(todo.id, " \n ", reviewer.id))
        expect(error._tag).toBe("TodoNoteMissing")
        const unchanged = yield* store.get(todo.id)
        expect(Option.map(unchanged, (stored) => stored.completedAt)).toEqual(Option.some(undefined))
      }))

    it.effect("second completion fails closed", () =>
      Effect.gen(function*() {
        const store = yield* TodoStore
        const reviewer = yield* seedAccount("todo-twice", "reviewer", false)
        const todo = yield* store.create(newTodo("complete-twice"))
        yield* store.complete(todo.id, "done", reviewer.id)
        const error = yield* Effect.flip(store.complete(todo.id, "again", reviewer.id))
        expect(error._tag).toBe("TodoClosed")
        expect(yield* AuditLog.list("StaffTodo", todo.id)).toHaveLength(1)
      }))

    it.effect("unknown id fails not found", () =>
      Effect.gen(function*() {
        const store = yield* TodoStore
        const error = yield* Effect.flip(store.complete("todo_missing", "done", "stf_someone"))
        expect(error._tag).toBe("TodoNotFound")
      }))
  })
})
