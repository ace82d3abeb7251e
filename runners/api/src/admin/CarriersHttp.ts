/**
 * GET /admin/carriers: the carrier list, searched by the `q` query
 * parameter.
 */
import { HttpServerRequest } from "@effect/platform"
import { Effect } from "effect"
import { requireStaff } from "./AdminSession.ts"
import { carriersLimit, renderCarriers } from "./CarriersPage.ts"
import { consoleResponse } from "./OrderPagesHttp.ts"
import { listCarriers } from "./queries/CarriersQuery.ts"

/** Maximum length of a search, in characters; a longer one is cut. */
const maximumSearchLength = 200

/** GET /admin/carriers. */
export const showCarriers = requireStaff(Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const search = (new URL(request.url, "http://127.0.0.1").searchParams.get("q") ?? "").trim().slice(0, maximumSearchLength)
  const carriers = yield* listCarriers({ search, limit: carriersLimit })
  return yield* consoleResponse(200, { title: "Carriers", section: "carriers", body: renderCarriers(carriers, search) })
}))
