/**
 * The console's operations pages: carriers and their calendars, the FCC
 * compliance check, payments and refunds, and the cluster.
 */
import { Effect } from "effect"
import type { ConsoleRoute, ConsoleRouter } from "./AdminConsole.ts"
import { showComingSoon } from "./AdminPages.ts"

/** Adds the operations pages' routes to the console's router. */
export const addOperationsPages = (router: ConsoleRouter, route: ConsoleRoute) =>
  Effect.forEach(["carriers", "fcc-check", "payments", "cluster"] as const, (section) =>
    router.get(`/admin/${section}`, route(showComingSoon(section))), { discard: true })
