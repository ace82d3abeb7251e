/**
 * Handlers of the compliance rules group: staff edits of the obligation
 * rules through the ObligationRuleStore, and warnings about USF
 * contribution and de minimis factors not yet on file.
 */
import { HttpApiBuilder } from "@effect/platform"
import { PlatformApi } from "@pw/api/Api"
import { BadRequest, NotFound } from "@pw/api/ApiErrors"
import {
  EffectiveRules,
  type FactorWarning,
  FactorWarnings,
  MissingContributionFactor,
  MissingDeMinimisFactor
} from "@pw/api/ComplianceRulesGroup"
import { StaffMember } from "@pw/api/Security"
import { ObligationRuleStore } from "@pw/compliance-calendar/ObligationRuleStore"
import { missingContributionFactors } from "@pw/domain/compliance/ContributionFactors"
import { deMinimisForYear } from "@pw/domain/compliance/DeMinimis"
import { defaultRuleSet } from "@pw/domain/compliance/DefaultRuleSet"
import type { LocalDate } from "@pw/domain/compliance/PlannedEntry"
import { DateTime, Effect, Layer } from "effect"

/** Time zone whose calendar decides the current year of the FCC's factors. */
const fccTimeZone = "America/New_York"

/**
 * Lists the factors missing on `asOf`: each quarter of its year and the next
 * with no USF contribution factor, then the de minimis factor of the Form
 * 499-A filed in its year when that one is missing. Reads the shipped factor
 * data, which staff cannot edit through the API.
 */
export const factorWarningsOn = (asOf: LocalDate): FactorWarnings => {
  const year = Number(asOf.slice(0, 4))
  const contribution: Array<FactorWarning> = missingContributionFactors(year).map(({ quarter, year }) =>
    new MissingContributionFactor({
      year,
      quarter,
      message: `no USF contribution factor for ${year} Q${quarter} is on file; add the factor the FCC proposes for that quarter to the contribution factors once it is published`
    })
  )
  const deMinimis = deMinimisForYear(0, year)
  const deMinimisWarnings: Array<FactorWarning> = deMinimis === undefined
    ? [new MissingDeMinimisFactor({
      filingYear: year,
      message: `no de minimis factor is on file at all, so the calendar treats every carrier as a contributor; add the ${year} Form 499-A worksheet factor`
    })]
    : deMinimis.flagged
    ? [new MissingDeMinimisFactor({
      filingYear: year,
      fallbackYear: deMinimis.factorYear,
      message: `no de minimis factor for the ${year} Form 499-A is on file, so the calendar uses the ${deMinimis.factorYear} factor; add the ${year} factor from the Form 499-A instructions`
    })]
    : []
  return new FactorWarnings({ asOf, warnings: [...contribution, ...deMinimisWarnings] })
}

/** Lists the missing factors ({@link factorWarningsOn}) for today in the FCC's time zone, by the Clock. */
export const currentFactorWarnings = Effect.fn("ComplianceRulesHttp.currentFactorWarnings")(function*() {
  const now = yield* DateTime.now
  return factorWarningsOn(DateTime.formatIsoDate(DateTime.unsafeMakeZoned(now, { timeZone: fccTimeZone })))
})

/** The compliance rules group's handlers, with the rule store they write. Needs PostgreSQL. */
export const ComplianceRulesHttp = HttpApiBuilder.group(PlatformApi, "complianceRules", (handlers) =>
  Effect.gen(function*() {
    const store = yield* ObligationRuleStore

    return handlers
      .handle("listRules", () =>
        Effect.map(store.list, (rules) => new EffectiveRules({ reviewedOn: defaultRuleSet.reviewedOn, rules })))
      .handle("putRule", ({ path, payload }) =>
        Effect.gen(function*() {
          const staff = yield* StaffMember
          return yield* store.put(path.ruleId, payload, staff.name).pipe(
            Effect.mapError((error) => new BadRequest({ message: error.message, field: error.field }))
          )
        }))
      .handle("removeRule", ({ path }) =>
        Effect.gen(function*() {
          const staff = yield* StaffMember
          return yield* store.remove(path.ruleId, staff.name).pipe(
            Effect.mapError((error) => new NotFound({ message: error.message, field: "ruleId" }))
          )
        }))
      .handle("factorWarnings", () => currentFactorWarnings())
  })).pipe(Layer.provide(ObligationRuleStore.layer))
