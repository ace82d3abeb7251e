/**
 * The staff session guard of the console. Every console route runs inside
 * one of the guards here: pages and forms without a valid session get a 303
 * to the sign-in page, `/admin/api/` routes get 401 JSON, and a session that
 * must change its password is sent to the change-password page first. Form
 * posts also need the session's CSRF token, in the `_csrf` field or the
 * `X-CSRF-Token` header that htmx sends.
 */
import { HttpIncomingMessage, HttpServerRequest, type HttpServerResponse } from "@effect/platform"
import * as StaffSessions from "@pw/staff/StaffSessions"
import { Context, Effect, Option, Redacted } from "effect"
import { renderMessagePage } from "./AdminLayout.ts"
import { apiUnauthorized, htmlResponse, seeOther } from "./AdminResponses.ts"

/** The signed-in staff member of the current request. */
export class CurrentStaff extends Context.Tag("@pw/api-runner/admin/CurrentStaff")<CurrentStaff, StaffSessions.StaffSession>() {}

/** Path of the sign-in page. */
export const signInPath = "/admin/sign-in"
/** Path of the page where a member with a temporary password sets a new one. */
export const changePasswordPath = "/admin/change-password"

/** Largest URL-encoded form body the console reads: 64 KiB. */
const maximumFormBytes = 64 * 1024

/**
 * Returns `next` when it is a path of this console that is safe to redirect
 * to after sign-in (under `/admin`, printable ASCII, not the sign-in page
 * itself), and `/admin` otherwise, so a crafted link cannot send a staff
 * member to another site.
 */
export const safeNextPath = (next: string | undefined): string => {
  if (next === undefined || next.length > 2000 || !/^[\x21-\x7e]*$/.test(next) || next.includes("\\")) return "/admin"
  if (!/^\/admin(?:[/?]|$)/.test(next) || next.startsWith(signInPath)) return "/admin"
  return next
}

/** The sign-in page URL that returns to `next` afterwards. */
export const signInLocation = (next: string): string => {
  const target = safeNextPath(next)
  return target === "/admin" ? signInPath : `${signInPath}?next=${encodeURIComponent(target)}`
}

/** The session of the request's cookie, or none when there is no cookie or it does not validate. */
export const currentSession = Effect.fn("AdminSession.currentSession")(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const token = request.cookies[StaffSessions.cookieName]
  if (token === undefined || token === "") return Option.none<StaffSessions.StaffSession>()
  return yield* StaffSessions.validate(Redacted.make(token)).pipe(
    Effect.map(Option.some),
    Effect.catchTag("SessionInvalid", (error) =>
      Effect.as(Effect.annotateLogs(Effect.logInfo("staff session rejected"), { reason: error.reason }), Option.none()))
  )
})

/** Options of {@link requireStaff}. */
export interface GuardOptions {
  /** Let a session that must change its password through; only the change-password and sign-out routes set it. */
  readonly allowPasswordChange?: boolean
}

/**
 * Runs `handler` with the signed-in member as {@link CurrentStaff}. Without
 * a valid session it redirects (303) to the sign-in page, returning to the
 * requested page for a GET and to the dashboard otherwise. A member who must
 * change their password is sent to the change-password page.
 */
export const requireStaff = <E, R>(
  handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>,
  options: GuardOptions = {}
) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const session = yield* currentSession()
    if (Option.isNone(session)) return seeOther(signInLocation(request.method === "GET" ? request.url : "/admin"))
    if (session.value.mustChangePassword && options.allowPasswordChange !== true) return seeOther(changePasswordPath)
    return yield* Effect.provideService(handler, CurrentStaff, session.value)
  })

/** Runs `handler` with the signed-in member, or responds 401 with JSON without a valid session. */
export const requireStaffApi = <E, R>(handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
  Effect.gen(function*() {
    const session = yield* currentSession()
    if (Option.isNone(session) || session.value.mustChangePassword) return apiUnauthorized()
    return yield* Effect.provideService(handler, CurrentStaff, session.value)
  })

/** The 403 page of a form posted without the session's CSRF token; nothing was changed. */
export const csrfRejected = (): HttpServerResponse.HttpServerResponse =>
  htmlResponse(403, renderMessagePage(
    "Form rejected",
    "The form's security token is missing or does not match your session, so nothing was changed. Reload the page and submit the form again."
  ))

/**
 * Checks the CSRF token of the current session against the `_csrf` form
 * field or, when the field is absent, the `X-CSRF-Token` header. Returns the
 * 403 response to send when it does not match.
 */
export const checkCsrf = Effect.fn("AdminSession.checkCsrf")(function*(field: string | undefined) {
  const request = yield* HttpServerRequest.HttpServerRequest
  const session = yield* CurrentStaff
  const presented = field ?? request.headers["x-csrf-token"]
  return yield* StaffSessions.checkCsrf(session, presented).pipe(
    Effect.as(Option.none<HttpServerResponse.HttpServerResponse>()),
    Effect.catchTag("CsrfInvalid", () =>
      Effect.as(
        Effect.annotateLogs(Effect.logWarning("staff form rejected for its CSRF token"), {
          sessionId: session.sessionId,
          path: request.url
        }),
        Option.some(csrfRejected())
      ))
  )
})

/** The fields of a URL-encoded form; a repeated field keeps its first value. */
export type FormFields = Readonly<Record<string, string>>

/** The 400 page of a form body that could not be read. */
const unreadableForm = () =>
  htmlResponse(400, renderMessagePage("Form not read", "The form could not be read. Reload the page and submit it again."))

/** Reads the URL-encoded body of the current request, at most 64 KiB; none when it cannot be read. */
export const readForm = Effect.fn("AdminSession.readForm")(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  return yield* request.urlParamsBody.pipe(
    HttpIncomingMessage.withMaxBodySize(Option.some(maximumFormBytes)),
    Effect.map((params) => {
      const fields: Record<string, string> = {}
      for (const [key, value] of params) if (!(key in fields)) fields[key] = value
      return Option.some<FormFields>(fields)
    }),
    Effect.catchTag("RequestError", () => Effect.succeed(Option.none<FormFields>()))
  )
})

/**
 * A form POST route: requires a session, reads the URL-encoded body and
 * checks its CSRF token before `handler` receives the fields. A missing or wrong
 * token gets the 403 page and `handler` does not run.
 */
export const formPost = <E, R>(
  handler: (fields: FormFields) => Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>,
  options: GuardOptions = {}
) =>
  requireStaff(
    Effect.gen(function*() {
      const fields = yield* readForm()
      if (Option.isNone(fields)) return unreadableForm()
      const rejected = yield* checkCsrf(fields.value["_csrf"])
      if (Option.isSome(rejected)) return rejected.value
      return yield* handler(fields.value)
    }),
    options
  )
