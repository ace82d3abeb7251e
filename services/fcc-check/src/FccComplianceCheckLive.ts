/**
 * The FCC compliance check over the imported data: one query for the FRN's
 * records, seven findings, and the remediation quote.
 */
import { FccDataStore } from "@pw/fcc-data/FccDataStore"
import type { Frn } from "@pw/domain/Carrier"
import { Clock, Effect, Layer, Option } from "effect"
import { bdcFinding, cpniFinding } from "./CarrierFindings.ts"
import { fccTimeZone, makeCheckCalendar, makeDateIn } from "./CheckCalendar.ts"
import { CheckedCarrier, FccCheckReport } from "./FccCheckReport.ts"
import { type CheckOptions, FccComplianceCheck } from "./FccComplianceCheck.ts"
import { dcAgentFinding, form499Finding, form499qFinding } from "./FilingFindings.ts"
import { coresFinding, rmdFinding } from "./RegistrationFindings.ts"
import { remediationOf } from "./RemediationPlan.ts"

/** The check over {@link FccDataStore}. */
export const layer = Layer.effect(
  FccComplianceCheck,
  Effect.gen(function*() {
    const store = yield* FccDataStore
    // Holidays are read once per calendar year and kept for the life of the layer.
    const calendar = makeCheckCalendar()
    const fccDate = makeDateIn(fccTimeZone)
    const check = Effect.fn("FccComplianceCheck.check")(function*(frn: Frn, options: CheckOptions = {}) {
      const records = yield* store.recordsOf(frn)
      const today = fccDate(yield* Clock.currentTimeMillis)
      const findings = [
        coresFinding(records),
        rmdFinding(records, today, calendar),
        form499Finding(records, today, calendar),
        cpniFinding(records, today, calendar),
        form499qFinding(records, today, calendar),
        bdcFinding(options, today, calendar),
        dcAgentFinding(records)
      ]
      const filer = records.filers[0]
      const legalName = filer?.legal_name ?? records.cores?.entity_name ?? undefined
      const carrier = new CheckedCarrier({
        frn,
        ...(legalName === undefined || legalName === null ? {} : { legalName }),
        ...(filer === undefined ? {} : { filer499Id: filer.filer_id }),
        ...(filer?.doing_business_as ? { doingBusinessAs: filer.doing_business_as } : {}),
        ...(filer?.principal_comm_type ? { principalCommType: filer.principal_comm_type } : {})
      })
      const remediation = yield* remediationOf(frn, records, findings, options.paymentMethod ?? "card")
      return new FccCheckReport({
        frn,
        checkedOn: today,
        carrier,
        findings,
        ...(Option.isSome(remediation) ? { remediation: remediation.value } : {})
      })
    }, (effect, frn) => Effect.annotateLogs(effect, { frn }))
    return { check }
  })
).pipe(Layer.provide(FccDataStore.layer))
