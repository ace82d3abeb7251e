/**
 * Staff to-dos in `staff_todos`: created by workflows under a dedupe key,
 * listed in the console, assigned to a staff member and completed with a
 * note. Assigning and completing each write an audit row (entity type
 * `StaffTodo`) in the transaction that applies the change. Permission checks
 * are the caller's job.
 */
import { SqlClient, type SqlError } from "@effect/sql"
import * as AuditLog from "@pw/db/AuditLog"
import { Clock, Context, Effect, Layer, Option, Schema } from "effect"
import { randomBytes, randomUUID } from "node:crypto"
import { TodoClosed, TodoNoteMissing, TodoNotFound } from "./TodoErrors.ts"

/** Entity type of the audit rows of to-dos. */
export const auditEntityType = "StaffTodo"

/** Kind of to-do: a step done by hand, or a workflow failure to look into. */
export const TodoKind = Schema.Literal("manual_step", "failure")
export type TodoKind = typeof TodoKind.Type

/** A to-do as the console shows it, with the assignee's display name in `assignedToName`. */
export class Todo extends Schema.Class<Todo>("Todo")({
  id: Schema.String,
  kind: TodoKind,
  title: Schema.String,
  detail: Schema.String,
  orderId: Schema.optional(Schema.String),
  entryKey: Schema.optional(Schema.String),
  assignedTo: Schema.optional(Schema.String),
  assignedToName: Schema.optional(Schema.String),
  createdAt: Schema.DateTimeUtc,
  completedAt: Schema.optional(Schema.DateTimeUtc),
  completedBy: Schema.optional(Schema.String),
  note: Schema.optional(Schema.String)
}) {}

/** Fields of a new to-do. */
export interface NewTodo {
  /** Stable key of what the to-do is about, such as `order:<orderId>:file-cpni`. */
  readonly dedupeKey: string
  readonly kind: TodoKind
  readonly title: string
  readonly detail: string
  readonly orderId?: string
  readonly entryKey?: string
}

/** Filter of the to-dos that {@link TodoStore} `list` returns. */
export interface TodoFilter {
  /** true: only open ones, false: only completed ones, absent: both. */
  readonly open?: boolean
  /** Only those assigned to this account id. */
  readonly assignedTo?: string
}

const TodoRow = Schema.Struct({
  id: Schema.String,
  kind: TodoKind,
  title: Schema.String,
  detail: Schema.String,
  order_id: Schema.NullOr(Schema.String),
  entry_key: Schema.NullOr(Schema.String),
  assigned_to: Schema.NullOr(Schema.String),
  assigned_to_name: Schema.NullOr(Schema.String),
  created_at: Schema.DateTimeUtcFromDate,
  completed_at: Schema.NullOr(Schema.DateTimeUtcFromDate),
  completed_by: Schema.NullOr(Schema.String),
  note: Schema.NullOr(Schema.String)
})
const decodeTodoRows = Schema.decodeUnknown(Schema.Array(TodoRow))

const optional = <A>(value: A | null): A | undefined => value ?? undefined

const toTodo = (row: typeof TodoRow.Type): Todo =>
  new Todo({
    id: row.id,
    kind: row.kind,
    title: row.title,
    detail: row.detail,
    orderId: optional(row.order_id),
    entryKey: optional(row.entry_key),
    assignedTo: optional(row.assigned_to),
    assignedToName: optional(row.assigned_to_name),
    createdAt: row.created_at,
    completedAt: optional(row.completed_at),
    completedBy: optional(row.completed_by),
    note: optional(row.note)
  })

/** Decodes rows into to-dos. A row that does not match the table is a defect. */
const decodeRows = (rows: ReadonlyArray<unknown>) =>
  decodeTodoRows(rows).pipe(Effect.orDie, Effect.map((decoded) => decoded.map(toTodo)))

const columns = `t.id, t.kind, t.title, t.detail, t.order_id, t.entry_key, t.assigned_to, a.name AS assigned_to_name,
  t.created_at, t.completed_at, t.completed_by, t.note`
const fromTodos = "staff_todos t LEFT JOIN staff_accounts a ON a.id = t.assigned_to"

const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const select = (condition: ReturnType<typeof sql.and>, lock: boolean) =>
    sql`SELECT ${sql.literal(columns)} FROM ${sql.literal(fromTodos)} WHERE ${condition}${sql.literal(lock ? " FOR UPDATE OF t" : "")}`.pipe(
      Effect.flatMap(decodeRows)
    )

  const get = Effect.fn("TodoStore.get")(function*(id: string) {
    const rows = yield* select(sql.and([sql`t.id = ${id}`]), false)
    return Option.fromNullable(rows[0])
  })

  const create = Effect.fn("TodoStore.create")(function*(input: NewTodo) {
    const id = `todo_${randomBytes(12).toString("hex")}`
    const now = new Date(yield* Clock.currentTimeMillis)
    const inserted = yield* sql`
      INSERT INTO staff_todos (id, dedupe_key, kind, title, detail, order_id, entry_key, created_at)
      VALUES (${id}, ${input.dedupeKey}, ${input.kind}, ${input.title}, ${input.detail},
              ${input.orderId ?? null}, ${input.entryKey ?? null}, ${now})
      ON CONFLICT (dedupe_key) DO NOTHING
      RETURNING id
    `
    const rows = yield* select(sql.and([sql`t.dedupe_key = ${input.dedupeKey}`]), false)
    const todo = rows[0]
    if (todo === undefined) {
      return yield* Effect.dieMessage(`staff to-do with dedupe key ${input.dedupeKey} is missing right after its insert`)
    }
    if (inserted.length === 1) {
      yield* Effect.logInfo("Staff to-do created").pipe(
        Effect.annotateLogs({ todoId: todo.id, dedupeKey: input.dedupeKey, kind: input.kind })
      )
    }
    return todo
  })

  const list = Effect.fn("TodoStore.list")(function*(filter: TodoFilter) {
    const conditions = [sql`true`]
    if (filter.open === true) conditions.push(sql`t.completed_at IS NULL`)
    if (filter.open === false) conditions.push(sql`t.completed_at IS NOT NULL`)
    if (filter.assignedTo !== undefined) conditions.push(sql`t.assigned_to = ${filter.assignedTo}`)
    return yield* sql`
      SELECT ${sql.literal(columns)} FROM ${sql.literal(fromTodos)}
      WHERE ${sql.and(conditions)}
      ORDER BY t.completed_at IS NOT NULL, CASE WHEN t.completed_at IS NULL THEN t.created_at END,
               t.completed_at DESC, t.id
    `.pipe(Effect.flatMap(decodeRows))
  })

  /** Locks the to-do and fails unless it exists and is open. */
  const lockOpen = (id: string, action: string) =>
    Effect.gen(function*() {
      const rows = yield* select(sql.and([sql`t.id = ${id}`]), true)
      const todo = rows[0]
      if (todo === undefined) {
        return yield* new TodoNotFound({
          todoId: id,
          message: `staff to-do ${id} does not exist, so it cannot be ${action}. Reload the to-do list.`
        })
      }
      if (todo.completedAt !== undefined) {
        return yield* new TodoClosed({
          todoId: id,
          message: `staff to-do ${id} was completed by ${todo.completedBy ?? "unknown"}, so it cannot be ${action}. ` +
            "A completed to-do stays closed, so create follow-up work elsewhere."
        })
      }
      return todo
    })

  const reread = (id: string) =>
    Effect.flatMap(get(id), Option.match({
      onNone: () => Effect.dieMessage(`staff to-do ${id} is missing right after its update`),
      onSome: Effect.succeed
    }))

  const assign = Effect.fn("TodoStore.assign")(function*(id: string, accountId: string, actorId: string) {
    yield* sql.withTransaction(Effect.gen(function*() {
      const todo = yield* lockOpen(id, "assigned")
      yield* AuditLog.record({
        entityType: auditEntityType,
        entityId: id,
        requestId: randomUUID(),
        event: "todo.assigned",
        data: { actorId, assignedTo: accountId, previouslyAssignedTo: todo.assignedTo ?? null }
      })
      yield* sql`UPDATE staff_todos SET assigned_to = ${accountId} WHERE id = ${id}`
    }).pipe(Effect.provideService(SqlClient.SqlClient, sql)))
    return yield* reread(id)
  })

  const complete = Effect.fn("TodoStore.complete")(function*(id: string, note: string, actorId: string) {
    const trimmed = note.trim()
    if (trimmed === "") {
      return yield* new TodoNoteMissing({
        todoId: id,
        message: `the note for completing staff to-do ${id} is missing. Say what was done, such as the filing's confirmation number.`
      })
    }
    const now = new Date(yield* Clock.currentTimeMillis)
    yield* sql.withTransaction(Effect.gen(function*() {
      yield* lockOpen(id, "completed")
      yield* AuditLog.record({
        entityType: auditEntityType,
        entityId: id,
        requestId: randomUUID(),
        event: "todo.completed",
        data: { actorId, note: trimmed }
      })
      yield* sql`
        UPDATE staff_todos SET completed_at = ${now}, completed_by = ${actorId}, note = ${trimmed} WHERE id = ${id}
      `
    }).pipe(Effect.provideService(SqlClient.SqlClient, sql)))
    return yield* reread(id)
  })

  return TodoStore.of({ create, list, get, assign, complete })
})

/** Staff to-dos stored in PostgreSQL. */
export class TodoStore extends Context.Tag("@pw/staff/TodoStore")<TodoStore, {
  /**
   * Creates an open, unassigned to-do. A second call with the same
   * `dedupeKey` returns the existing to-do unchanged, open or completed, so
   * retried workflow activities create one to-do.
   */
  readonly create: (input: NewTodo) => Effect.Effect<Todo, SqlError.SqlError>
  /** Lists to-dos: open ones first, oldest first, then completed ones, most recently completed first. */
  readonly list: (filter: TodoFilter) => Effect.Effect<ReadonlyArray<Todo>, SqlError.SqlError>
  /** Returns the to-do with `id`, or none. */
  readonly get: (id: string) => Effect.Effect<Option.Option<Todo>, SqlError.SqlError>
  /**
   * Assigns the open to-do `id` to account `accountId` (replacing any
   * assignee) and records `todo.assigned` with `actorId`. An `accountId`
   * with no staff account fails with a foreign key violation (SqlError).
   */
  readonly assign: (
    id: string,
    accountId: string,
    actorId: string
  ) => Effect.Effect<Todo, TodoNotFound | TodoClosed | SqlError.SqlError>
  /**
   * Completes the open to-do `id` with the trimmed `note`, by `actorId`, and
   * records `todo.completed`. Fails with {@link TodoNoteMissing} for a blank note.
   */
  readonly complete: (
    id: string,
    note: string,
    actorId: string
  ) => Effect.Effect<Todo, TodoNotFound | TodoClosed | TodoNoteMissing | SqlError.SqlError>
}>() {
  /** The store over the current SqlClient. */
  static readonly layer: Layer.Layer<TodoStore, never, SqlClient.SqlClient> = Layer.effect(TodoStore, make)
}
