/**
 * The errors of the HTTP API. Every 4xx body has one shape: `_tag` names the
 * kind of error, `message` states what was wrong and what to do, and `field`
 * (where one value is at fault) is its path in the request, such as
 * `carrier.frn` or `items[0].quantity`.
 */
import { HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"

const fields = {
  message: Schema.String,
  field: Schema.optional(Schema.String)
}

/** The request is malformed or a value in it is invalid. */
export class BadRequest extends Schema.TaggedError<BadRequest>()("BadRequest", fields, HttpApiSchema.annotations({ status: 400 })) {}

/** The access token or staff key is missing or does not match. */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", fields, HttpApiSchema.annotations({ status: 401 })) {}

/** The named resource does not exist. */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", fields, HttpApiSchema.annotations({ status: 404 })) {}

/** The resource is in a state that does not allow the request; `field` names the state. */
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", fields, HttpApiSchema.annotations({ status: 409 })) {}

/** A download link whose time ran out. */
export class LinkExpired extends Schema.TaggedError<LinkExpired>()("LinkExpired", fields, HttpApiSchema.annotations({ status: 410 })) {}

/** The staff member's role does not allow the action. */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", fields, HttpApiSchema.annotations({ status: 403 })) {}

/** The client sent too many requests to a public endpoint; the `Retry-After` header says how many seconds to wait. */
export class TooManyRequests extends Schema.TaggedError<TooManyRequests>()("TooManyRequests", fields, HttpApiSchema.annotations({ status: 429 })) {}
