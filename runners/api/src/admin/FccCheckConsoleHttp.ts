/**
 * GET /admin/fcc-check: the check form, and with an `frn` query parameter
 * the check's findings below it. An invalid FRN or answer shows the form
 * again with a message naming the value (400).
 */
import { HttpServerRequest } from "@effect/platform"
import { Frn } from "@pw/domain/Carrier"
import { FccComplianceCheck } from "@pw/fcc-check/FccComplianceCheck"
import { Effect, Either, Schema } from "effect"
import { requireStaff } from "./AdminSession.ts"
import { type Answer, type CheckForm, renderCheckForm, renderCheckReport } from "./FccCheckConsolePage.ts"
import { consoleResponse } from "./OrderPagesHttp.ts"

const title = "FCC compliance check"

/** Reads a yes/no select: blank or `unknown` is no answer. Returns undefined for any other value. */
const parseAnswer = (value: string | null): Answer | undefined => {
  if (value === null || value === "" || value === "unknown") return "unknown"
  return value === "yes" || value === "no" ? value : undefined
}

const asOption = (answer: Answer): boolean | undefined => (answer === "unknown" ? undefined : answer === "yes")

/** GET /admin/fcc-check. A database failure of the check is a defect (the 500 page). */
export const showFccCheck = requireStaff(Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const query = new URL(request.url, "http://127.0.0.1").searchParams
  const frn = (query.get("frn") ?? "").trim()
  const broadband = parseAnswer(query.get("broadband"))
  const voice = parseAnswer(query.get("voice"))
  const form: CheckForm = { frn, broadband: broadband ?? "unknown", voice: voice ?? "unknown" }
  const page = (status: number, body: string, error?: string) =>
    consoleResponse(status, {
      title,
      section: "fcc-check",
      notice: error === undefined ? undefined : { kind: "error", text: error },
      body
    })

  if (!query.has("frn")) return yield* page(200, renderCheckForm(form, false))
  const decoded = Schema.decodeUnknownEither(Frn)(frn)
  if (Either.isLeft(decoded)) {
    return yield* page(400, renderCheckForm(form, true), `The FRN "${frn}" is invalid: enter 10 digits with leading zeros kept, such as 0018538512.`)
  }
  if (broadband === undefined || voice === undefined) {
    const [name, value] = broadband === undefined ? ["broadband", query.get("broadband")] : ["voice", query.get("voice")]
    return yield* page(400, renderCheckForm(form, false), `The ${name} answer "${value ?? ""}" is invalid: choose yes, no or not known.`)
  }

  const checker = yield* FccComplianceCheck
  const report = yield* checker.check(decoded.right, { broadband: asOption(broadband), voice: asOption(voice) }).pipe(Effect.orDie)
  return yield* page(200, `${renderCheckForm(form, false)}\n${renderCheckReport(report, form)}`)
}))
