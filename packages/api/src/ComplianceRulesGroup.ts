/**
 * Staff endpoints over the compliance rules: the effective obligation rules
 * and their staff edits, and warnings about regulator factors not yet on
 * file.
 */
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { EffectiveRule, RuleRemoved } from "@pw/compliance-calendar/ObligationRuleStore"
import { ObligationRule } from "@pw/domain/compliance/ObligationRule"
import { LocalDate } from "@pw/domain/compliance/PlannedEntry"
import { Schema } from "effect"
import { BadRequest, NotFound } from "./ApiErrors.ts"
import { StaffAuth } from "./Security.ts"

/** The effective rule set: shipped rules with staff edits applied, each marked with its origin. */
export class EffectiveRules extends Schema.Class<EffectiveRules>("EffectiveRules")({
  /** Date staff last reviewed the shipped rules, `YYYY-MM-DD`. */
  reviewedOn: Schema.String,
  rules: Schema.Array(EffectiveRule)
}) {}

/** A quarter with no USF contribution factor on file. */
export class MissingContributionFactor extends Schema.TaggedClass<MissingContributionFactor>()("MissingContributionFactor", {
  year: Schema.Int,
  quarter: Schema.Literal(1, 2, 3, 4),
  message: Schema.String
}) {}

/** A Form 499-A filing year with no de minimis worksheet factor on file. */
export class MissingDeMinimisFactor extends Schema.TaggedClass<MissingDeMinimisFactor>()("MissingDeMinimisFactor", {
  filingYear: Schema.Int,
  /** The filing year whose factor the calendar uses instead, when one is on file. */
  fallbackYear: Schema.optional(Schema.Int),
  message: Schema.String
}) {}

/** One factor staff must add to the data. */
export const FactorWarning = Schema.Union(MissingContributionFactor, MissingDeMinimisFactor)
export type FactorWarning = typeof FactorWarning.Type

/** The factors missing as of `asOf`, contribution factors first in date order. */
export class FactorWarnings extends Schema.Class<FactorWarnings>("FactorWarnings")({
  /** The day the warnings were computed for, in the FCC's time zone. */
  asOf: LocalDate,
  warnings: Schema.Array(FactorWarning)
}) {}

const RulePath = Schema.Struct({ ruleId: ObligationRule.fields.id })

/** The compliance rules for staff; every endpoint needs the `X-Staff-Key` header. */
export class ComplianceRulesGroup extends HttpApiGroup.make("complianceRules")
  .add(
    HttpApiEndpoint.get("listRules", "/staff/compliance/rules")
      .addSuccess(EffectiveRules)
      .annotate(OpenApi.Description, "The rules the calendar plans with, each marked default, override or added.")
  )
  .add(
    HttpApiEndpoint.put("putRule", "/staff/compliance/rules/:ruleId")
      .setPath(RulePath)
      .setPayload(ObligationRule)
      .addSuccess(EffectiveRule)
      .addError(BadRequest)
      .annotate(
        OpenApi.Description,
        "Overrides the shipped rule of that id, or adds a rule; the body's id must be the path's. Applies to calendars planned afterwards."
      )
  )
  .add(
    HttpApiEndpoint.del("removeRule", "/staff/compliance/rules/:ruleId")
      .setPath(RulePath)
      .addSuccess(RuleRemoved)
      .addError(NotFound)
      .annotate(OpenApi.Description, "Removes the staff edit of the rule: an override gives way to the shipped rule, an added rule goes.")
  )
  .add(
    HttpApiEndpoint.get("factorWarnings", "/staff/compliance/warnings")
      .addSuccess(FactorWarnings)
      .annotate(
        OpenApi.Description,
        "USF contribution factors missing for this year and next, and the de minimis factor missing for this year's Form 499-A."
      )
  )
  .middleware(StaffAuth)
  .prefix("/v1")
  .annotate(OpenApi.Description, "The compliance rules and factor warnings; every endpoint needs the `X-Staff-Key` header.")
{}
