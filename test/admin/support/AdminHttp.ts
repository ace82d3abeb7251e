/**
 * Plain HTTP calls to the admin console on 127.0.0.1, without a browser:
 * redirects are not followed and cookies are passed by hand, so tests see
 * each 303 and Set-Cookie as the server sent them.
 */

/** One response, read whole. */
export interface Reply {
  readonly status: number
  readonly location: string | null
  readonly contentType: string
  readonly retryAfter: string | null
  readonly setCookies: ReadonlyArray<string>
  readonly text: string
}

/** Options of {@link send}. */
export interface SendOptions {
  /** Value of the Cookie header. */
  readonly cookie?: string
  /** Fields sent URL-encoded. */
  readonly form?: Readonly<Record<string, string>>
  /** A multipart body. */
  readonly multipart?: FormData
  readonly headers?: Readonly<Record<string, string>>
}

/** Sends `method path` to `baseUrl` and reads the response without following redirects. */
export const send = async (baseUrl: string, method: "GET" | "POST", path: string, options: SendOptions = {}): Promise<Reply> => {
  const headers: Record<string, string> = { ...options.headers }
  if (options.cookie !== undefined) headers["cookie"] = options.cookie
  let body: string | FormData | undefined
  if (options.form !== undefined) {
    headers["content-type"] = "application/x-www-form-urlencoded"
    body = new URLSearchParams(options.form).toString()
  } else if (options.multipart !== undefined) {
    body = options.multipart
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, redirect: "manual", ...(body === undefined ? {} : { body }) })
  return {
    status: response.status,
    location: response.headers.get("location"),
    contentType: response.headers.get("content-type") ?? "",
    retryAfter: response.headers.get("retry-after"),
    setCookies: response.headers.getSetCookie(),
    text: await response.text()
  }
}

/** Returns the value of cookie `name` in a response's Set-Cookie headers. */
export const cookieValue = (reply: Reply, name: string): string | undefined => {
  for (const header of reply.setCookies) {
    const [pair = ""] = header.split(";")
    const separator = pair.indexOf("=")
    if (pair.slice(0, separator).trim() === name) return pair.slice(separator + 1)
  }
  return undefined
}

/** Returns the Set-Cookie header of cookie `name`, with its attributes. */
export const setCookieHeader = (reply: Reply, name: string): string | undefined =>
  reply.setCookies.find((header) => header.startsWith(`${name}=`))

/** Returns the value of the first `_csrf` hidden field of a page. */
export const csrfFieldOf = (html: string): string => /name="_csrf" value="([^"]*)"/.exec(html)?.[1] ?? ""

/** Credentials of one sign-in. */
export interface Credentials {
  readonly email: string
  readonly password: string
  readonly totp?: string
}

/** Opens the sign-in form and returns its double-submit cookie and field value. */
export const openSignInForm = async (baseUrl: string) => {
  const form = await send(baseUrl, "GET", "/admin/sign-in")
  const token = cookieValue(form, "pw_staff_sign_in") ?? ""
  return { cookie: `pw_staff_sign_in=${token}`, csrf: csrfFieldOf(form.text) }
}

/** Posts the sign-in form with a fresh double-submit token. */
export const postSignIn = async (baseUrl: string, credentials: Credentials, next = "/admin") => {
  const form = await openSignInForm(baseUrl)
  return send(baseUrl, "POST", "/admin/sign-in", {
    cookie: form.cookie,
    form: { _csrf: form.csrf, next, email: credentials.email, password: credentials.password, totp: credentials.totp ?? "" }
  })
}

/** A signed-in console session: the Cookie header to send and the session's CSRF token. */
export interface ConsoleSession {
  readonly cookie: string
  readonly csrf: string
}

/** Signs in and reads the session's CSRF token from the dashboard; throws when sign-in fails. */
export const signIn = async (baseUrl: string, credentials: Credentials): Promise<ConsoleSession> => {
  const reply = await postSignIn(baseUrl, credentials)
  const token = cookieValue(reply, "pw_staff_session")
  if (reply.status !== 303 || token === undefined) throw new Error(`sign-in of ${credentials.email} failed with HTTP ${reply.status}: ${reply.text}`)
  const cookie = `pw_staff_session=${token}`
  const dashboard = await send(baseUrl, "GET", "/admin", { cookie })
  return { cookie, csrf: csrfFieldOf(dashboard.text) }
}
