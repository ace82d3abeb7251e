/**
 * The rule set the platform ships with.
 */
import { canadianRules } from "./CanadianRules.ts"
import { fccRules } from "./FccRules.ts"
import { RuleSet } from "./ObligationRule.ts"
import { stateRules } from "./StateRules.ts"

/** FCC, Canadian and state rules as reviewed on `reviewedOn`; staff edits replace it through `RuleSetJson`. */
export const defaultRuleSet: RuleSet = new RuleSet({
  reviewedOn: "2026-12-04",
  rules: [...fccRules, ...canadianRules, ...stateRules]
})
