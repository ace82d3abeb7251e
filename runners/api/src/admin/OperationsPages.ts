/**
 * The console's operations pages: carriers and their calendars, the FCC
 * compliance check, payments and refunds, and the cluster.
 */
import { FccComplianceCheck } from "@pw/fcc-check/FccComplianceCheck"
import { Effect } from "effect"
import type { ConsoleRoute, ConsoleRouter } from "./AdminConsole.ts"
import { showCalendar, waiveEntry } from "./CarrierCalendarHttp.ts"
import { showCarriers } from "./CarriersHttp.ts"
import { showCluster } from "./ClusterHttp.ts"
import { showFccCheck } from "./FccCheckConsoleHttp.ts"
import { showPayments } from "./PaymentsHttp.ts"

/** Adds the operations pages' routes to the console's router. Needs the FCC compliance check. */
export const addOperationsPages = (router: ConsoleRouter, route: ConsoleRoute) =>
  Effect.gen(function*() {
    const checker = yield* FccComplianceCheck
    yield* router.get("/admin/carriers", route(showCarriers))
    yield* router.get("/admin/carriers/:carrierId", route(showCalendar))
    yield* router.post("/admin/carriers/:carrierId/waive", route(waiveEntry))
    yield* router.get("/admin/fcc-check", route(Effect.provideService(showFccCheck, FccComplianceCheck, checker)))
    yield* router.get("/admin/payments", route(showPayments))
    yield* router.get("/admin/cluster", route(showCluster))
  })
