/**
 * The FCC compliance check of one FRN: imported public data and the
 * platform's own records, read on the current date.
 */
import type { Frn } from "@pw/domain/Carrier"
import type { PaymentMethod } from "@pw/domain/PaymentMethod"
import type { SqlError } from "@effect/sql"
import { Context, type Effect } from "effect"
import type { FccCheckReport } from "./FccCheckReport.ts"

/** Answers that refine a check: the Broadband Data Collection questions and the payment method of the quote. */
export interface CheckOptions {
  /** Does the carrier offer broadband internet access? */
  readonly broadband?: boolean | undefined
  /** Does the carrier offer voice service? */
  readonly voice?: boolean | undefined
  /** Payment method the remediation quote is priced for; card when absent. */
  readonly paymentMethod?: PaymentMethod | undefined
}

/** Checks one FRN. The FRN is validated by the caller (the `Frn` schema). */
export class FccComplianceCheck extends Context.Tag("@pw/fcc-check/FccComplianceCheck")<
  FccComplianceCheck,
  {
    readonly check: (frn: Frn, options?: CheckOptions) => Effect.Effect<FccCheckReport, SqlError.SqlError>
  }
>() {}
