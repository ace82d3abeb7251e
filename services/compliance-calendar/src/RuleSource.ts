/**
 * The source of the obligation rule set that the calendar planners and the
 * next-period rules read.
 */
import { defaultRuleSet } from "@pw/domain/compliance/DefaultRuleSet"
import type { RuleSet } from "@pw/domain/compliance/ObligationRule"
import { Context, Effect, Layer } from "effect"

/** The rule set in force. */
export class RuleSource extends Context.Tag("@pw/compliance-calendar/RuleSource")<
  RuleSource,
  {
    /**
     * The effective rule set at the time of the call. Implementations read
     * it afresh on every call, with no cache, so a staff edit applies to the
     * next plan in every runner.
     */
    readonly current: Effect.Effect<RuleSet>
  }
>() {
  /** The shipped rule set only, without staff edits, for code and tests with no database. */
  static readonly defaults = Layer.succeed(RuleSource, RuleSource.of({ current: Effect.succeed(defaultRuleSet) }))
}
