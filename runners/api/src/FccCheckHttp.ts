/**
 * Handlers of the public FCC compliance check: the JSON report and the
 * printable HTML page.
 */
import { HttpApiBuilder } from "@effect/platform"
import { PlatformApi } from "@pw/api/Api"
import { FccComplianceCheck } from "@pw/fcc-check/FccComplianceCheck"
import { Effect } from "effect"
import { renderCheckPage } from "./FccCheckPage.ts"

/** The fccCheck group's handlers. A database failure is a defect (HTTP 500). */
export const FccCheckHttp = HttpApiBuilder.group(PlatformApi, "fccCheck", (handlers) =>
  Effect.gen(function*() {
    const checker = yield* FccComplianceCheck
    return handlers
      .handle("check", ({ urlParams }) => checker.check(urlParams.frn, urlParams).pipe(Effect.orDie))
      .handle("report", ({ urlParams }) =>
        checker.check(urlParams.frn, urlParams).pipe(Effect.map(renderCheckPage), Effect.orDie))
  }))
