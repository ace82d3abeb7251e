/**
 * Sign-in, sign-out and the forced password change of the console.
 *
 * The sign-in form has no session to carry a CSRF token, so it uses a
 * double-submit cookie: the GET sets 32 random bytes in the HttpOnly,
 * SameSite=Strict cookie `pw_staff_sign_in` (Path=/admin/sign-in) and the
 * same value in the form's `_csrf` field, and the POST must present both,
 * equal. Another site can neither read the cookie nor make the browser send
 * it along with its own form. A POST whose `Origin` header names another
 * host is rejected as well.
 */
import { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import * as StaffAccounts from "@pw/staff/StaffAccounts"
import * as StaffSessions from "@pw/staff/StaffSessions"
import * as StaffSignIn from "@pw/staff/StaffSignIn"
import { Duration, Effect, Option, Redacted } from "effect"
import { randomBytes, timingSafeEqual } from "node:crypto"
import { csrfField } from "./AdminLayout.ts"
import { htmlResponse, seeOther } from "./AdminResponses.ts"
import { changePasswordPath, CurrentStaff, currentSession, formPost, readForm, requireStaff, safeNextPath, signInPath } from "./AdminSession.ts"
import { renderChangePasswordPage, renderSignInPage } from "./SignInPage.ts"

/** Name of the double-submit cookie of the sign-in form. */
export const signInCookieName = "pw_staff_sign_in"

const signInCookieMaxAge = Duration.hours(1)

const tokenPattern = /^[A-Za-z0-9_-]{43}$/

const tokensMatch = (cookie: string | undefined, field: string | undefined): boolean => {
  if (cookie === undefined || field === undefined || !tokenPattern.test(cookie)) return false
  const expected = Buffer.from(cookie)
  const presented = Buffer.from(field)
  return expected.length === presented.length && timingSafeEqual(expected, presented)
}

/** Returns whether the request's `Origin`, when sent, names the host the request was sent to. `null` does not. */
const sameOrigin = (request: HttpServerRequest.HttpServerRequest): boolean => {
  const origin = request.headers["origin"]
  if (origin === undefined) return true
  try {
    return new URL(origin).host === request.headers["host"]
  } catch {
    return false
  }
}

const cookieOptions = Effect.map(StaffSessions.cookieOptions, (options) => ({ ...options }))

/** The sign-in page with a double-submit token: the cookie's when it has a valid one, a new one otherwise. */
const signInFormResponse = Effect.fn("SignInHttp.signInFormResponse")(function*(
  status: number,
  form: { readonly next: string; readonly email?: string; readonly error?: string },
  headers: Readonly<Record<string, string>> = {}
) {
  const request = yield* HttpServerRequest.HttpServerRequest
  const existing = request.cookies[signInCookieName]
  const csrfToken = existing !== undefined && tokenPattern.test(existing) ? existing : randomBytes(32).toString("base64url")
  const options = yield* cookieOptions
  return yield* htmlResponse(status, renderSignInPage({ ...form, csrfToken }), headers).pipe(
    HttpServerResponse.setCookie(signInCookieName, csrfToken, {
      httpOnly: true,
      sameSite: "strict",
      path: signInPath,
      secure: options.secure,
      maxAge: signInCookieMaxAge
    }),
    Effect.orDie
  )
})

/** GET /admin/sign-in: the form, or straight on to `next` for a member already signed in. */
export const showSignIn = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const next = safeNextPath(new URL(request.url, "http://127.0.0.1").searchParams.get("next") ?? undefined)
  const session = yield* currentSession()
  if (Option.isSome(session)) return seeOther(next)
  return yield* signInFormResponse(200, { next })
})

/** Returns the client address for the sign-in lockout: the socket's, or the first `X-Forwarded-For` entry behind a trusted proxy. */
const clientAddress = (request: HttpServerRequest.HttpServerRequest, trustForwardedFor: boolean): string => {
  const forwarded = trustForwardedFor ? request.headers["x-forwarded-for"]?.split(",")[0]?.trim() : undefined
  return forwarded !== undefined && forwarded !== "" ? forwarded : Option.getOrElse(request.remoteAddress, () => "unknown")
}

/**
 * POST /admin/sign-in: checks the double-submit token, signs in with
 * `StaffSignIn.signIn`, sets the session cookie and redirects (303) to `next`.
 * A failure re-renders the form with the sign-in's message, which never
 * reveals whether the e-mail has an account. A lockout gets 429 with
 * `Retry-After`. `trustForwardedFor` is `PW_TRUST_FORWARDED_FOR`, which
 * decides the client address the lockout counts.
 */
export const submitSignIn = (trustForwardedFor: boolean) => Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const fields = yield* readForm()
  const form = Option.getOrElse(fields, () => ({} as Readonly<Record<string, string>>))
  const next = safeNextPath(form["next"])
  if (Option.isNone(fields) || !sameOrigin(request) || !tokensMatch(request.cookies[signInCookieName], form["_csrf"])) {
    yield* Effect.annotateLogs(Effect.logWarning("staff sign-in form rejected for its CSRF token"), {
      originSent: request.headers["origin"] !== undefined
    })
    return yield* signInFormResponse(403, {
      next,
      error: "The sign-in form expired or was not sent from this console. Enter your details again."
    })
  }
  const email = form["email"] ?? ""
  const signedIn = yield* StaffSignIn.signIn({
    email,
    password: Redacted.make(form["password"] ?? ""),
    totpCode: form["totp"],
    client: clientAddress(request, trustForwardedFor)
  }).pipe(Effect.either)
  if (signedIn._tag === "Left") {
    const error = signedIn.left
    if (error._tag === "TooManyAttempts") {
      return yield* signInFormResponse(429, { next, email, error: error.message }, { "retry-after": String(error.retryAfterSeconds) })
    }
    return yield* signInFormResponse(401, { next, email, error: error.message })
  }
  const { account, session } = signedIn.right
  const options = yield* cookieOptions
  return yield* seeOther(account.mustChangePassword ? changePasswordPath : next).pipe(
    HttpServerResponse.setCookie(StaffSessions.cookieName, Redacted.value(session.token), options),
    Effect.flatMap(HttpServerResponse.setCookie(signInCookieName, "", {
      httpOnly: true,
      sameSite: "strict",
      path: signInPath,
      secure: options.secure,
      maxAge: Duration.zero
    })),
    Effect.orDie
  )
})

/** POST /admin/sign-out: ends the session, clears its cookie and redirects (303) to the sign-in page. */
export const submitSignOut = formPost(() =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const session = yield* CurrentStaff
    const token = request.cookies[StaffSessions.cookieName]
    if (token !== undefined) yield* StaffSessions.revoke(Redacted.make(token))
    yield* Effect.annotateLogs(Effect.logInfo("staff signed out"), { accountId: session.accountId, sessionId: session.sessionId })
    const options = yield* cookieOptions
    return yield* seeOther(signInPath).pipe(
      HttpServerResponse.setCookie(StaffSessions.cookieName, "", { ...options, maxAge: Duration.zero }),
      Effect.orDie
    )
  }), { allowPasswordChange: true })

/** GET /admin/change-password: the form to replace a temporary password. */
export const showChangePassword = requireStaff(
  Effect.map(CurrentStaff, (session) => htmlResponse(200, renderChangePasswordPage({ csrfField: csrfField(session) }))),
  { allowPasswordChange: true }
)

/** POST /admin/change-password: changes the password, keeping this session, and redirects (303) to the dashboard. */
export const submitChangePassword = formPost((fields) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const session = yield* CurrentStaff
    const rerender = (error: string) => htmlResponse(400, renderChangePasswordPage({ csrfField: csrfField(session), error }))
    const newPassword = fields["newPassword"] ?? ""
    if (newPassword !== (fields["confirmPassword"] ?? "")) return rerender("The two new passwords differ. Type the same password twice.")
    const token = request.cookies[StaffSessions.cookieName]
    const changed = yield* StaffAccounts.changePassword(
      session.accountId,
      Redacted.make(fields["currentPassword"] ?? ""),
      Redacted.make(newPassword),
      token === undefined ? undefined : Redacted.make(token)
    ).pipe(Effect.either)
    if (changed._tag === "Left") return rerender(changed.left.message)
    return seeOther("/admin")
  }), { allowPasswordChange: true })
