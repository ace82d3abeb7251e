/**
 * HTTP responses of the admin console: HTML pages with the console's
 * security headers, 303 redirects, and the JSON error of `/admin/api/`.
 */
import { HttpServerResponse } from "@effect/platform"

/**
 * Headers of every console response: never cached, and a referrer sent only
 * to this origin. Under `no-referrer`, Chromium sends `Origin: null` on form
 * posts, which the sign-in origin check rejects. The content security policy
 * allows only this origin's scripts, styles and frames, so injected markup
 * cannot run script even if escaping were missed.
 */
export const consoleHeaders: Readonly<Record<string, string>> = {
  "cache-control": "no-store",
  "referrer-policy": "same-origin",
  "x-content-type-options": "nosniff",
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; object-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'"
}

/** An HTML page response with `status` and the console headers, plus `headers`. */
export const htmlResponse = (
  status: number,
  body: string,
  headers: Readonly<Record<string, string>> = {}
): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.text(body, {
    status,
    contentType: "text/html; charset=utf-8",
    headers: { ...consoleHeaders, ...headers }
  })

/** A 303 See Other to `location`, the response to every successful form POST. */
export const seeOther = (location: string): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.empty({ status: 303, headers: { ...consoleHeaders, location } })

/** A JSON response with the console headers. */
export const jsonResponse = (status: number, body: unknown): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.unsafeJson(body, { status, headers: consoleHeaders })

/** The 401 body of `/admin/api/` requests without a valid session. */
export const apiUnauthorized = (): HttpServerResponse.HttpServerResponse =>
  jsonResponse(401, {
    _tag: "Unauthorized",
    message: "no valid staff session; sign in at /admin/sign-in and send the pw_staff_session cookie"
  })
