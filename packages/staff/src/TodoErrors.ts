/**
 * Failures of staff to-do actions: a to-do that does not exist, one that is
 * completed already, and a completion without a note.
 */
import { Schema } from "effect"

/** No staff to-do has this id. */
export class TodoNotFound extends Schema.TaggedError<TodoNotFound>()("TodoNotFound", {
  todoId: Schema.String,
  message: Schema.String
}) {}

/** The to-do is completed, so it can no longer be assigned or completed. */
export class TodoClosed extends Schema.TaggedError<TodoClosed>()("TodoClosed", {
  todoId: Schema.String,
  message: Schema.String
}) {}

/** A completion whose note is empty or only whitespace. */
export class TodoNoteMissing extends Schema.TaggedError<TodoNoteMissing>()("TodoNoteMissing", {
  todoId: Schema.String,
  message: Schema.String
}) {}
