/**
 * Gives every 4xx response the API's one error body shape
 * (`{ _tag, message, field? }`). Schema validation failures come out of
 * HttpApi as `HttpApiDecodeError` with a list of issues. They are rewritten to
 * a `BadRequest` that names the first invalid field and keeps the issues.
 * Responses with no body (malformed JSON, unknown routes) get a message.
 */
import { type HttpApp, HttpServerError, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect, Option, Schema } from "effect"

const DecodeErrorBody = Schema.parseJson(Schema.Struct({
  _tag: Schema.Literal("HttpApiDecodeError"),
  issues: Schema.Array(Schema.Struct({
    path: Schema.Array(Schema.Union(Schema.String, Schema.Number)),
    message: Schema.String
  }))
}))
const decodeDecodeErrorBody = Schema.decodeUnknownOption(DecodeErrorBody)

/** Formats an issue path such as `["items", 0, "quantity"]` as `items[0].quantity`. */
export const formatPath = (path: ReadonlyArray<string | number>): string => {
  let text = ""
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`
    else text = text === "" ? segment : `${text}.${segment}`
  }
  return text
}

const bodyText = (response: HttpServerResponse.HttpServerResponse): string | undefined => {
  const body = response.body
  // HttpServerResponse.json keeps the encoded text as a string, despite the Uint8Array tag.
  const content: unknown = body._tag === "Uint8Array" ? body.body : undefined
  if (typeof content === "string") return content
  if (content instanceof Uint8Array) return new TextDecoder().decode(content)
  if (body._tag === "Empty") return ""
  return undefined
}

const rewrite = (
  request: HttpServerRequest.HttpServerRequest,
  response: HttpServerResponse.HttpServerResponse
): HttpServerResponse.HttpServerResponse => {
  if (response.status < 400 || response.status >= 500) return response
  const text = bodyText(response)
  if (text === undefined) return response

  if (text === "") {
    const body = response.status === 404
      ? { _tag: "NotFound", message: `no endpoint for ${request.method} ${request.url}; GET /openapi.json lists them` }
      : response.status === 400
      ? { _tag: "BadRequest", message: "the request body is not valid JSON; send a JSON object with content-type application/json" }
      : { _tag: "BadRequest", message: `the request was rejected with HTTP ${response.status}` }
    return HttpServerResponse.unsafeJson(body, { status: response.status, headers: response.headers })
  }

  const decoded = decodeDecodeErrorBody(text)
  if (Option.isNone(decoded)) return response
  // A union such as "positive integer | undefined" reports one issue per member; the first is the one to read.
  const issuesByField = new Map<string, { readonly field: string; readonly message: string }>()
  for (const issue of decoded.value.issues) {
    const field = formatPath(issue.path)
    if (!issuesByField.has(field)) issuesByField.set(field, { field, message: issue.message })
  }
  const issues = [...issuesByField.values()]
  const first = issues[0]
  const field = first?.field ?? ""
  const message = first === undefined
    ? "the request does not match the expected schema"
    : field === "" ? first.message : `${field}: ${first.message}`
  return HttpServerResponse.unsafeJson(
    { _tag: "BadRequest", message, ...(field === "" ? {} : { field }), issues },
    { status: 400, headers: response.headers }
  )
}

/**
 * Wraps an HttpApp so that every 4xx response gets the uniform body, whether
 * the handler returned it or failed with an error that renders as one.
 * Failures that render as 5xx pass through unchanged, so they are still
 * logged. It must wrap the app before the server handles errors, because a
 * server middleware only receives responses already sent.
 */
export const withUniformErrorBodies = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const response = yield* app.pipe(
      Effect.catchAllCause((cause) =>
        Effect.flatMap(HttpServerError.causeResponse(cause), ([response]) =>
          response.status >= 400 && response.status < 500 ? Effect.succeed(response) : Effect.failCause(cause))
      )
    )
    return rewrite(request, response)
  })
