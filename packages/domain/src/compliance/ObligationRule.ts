/**
 * An obligation rule and the rule set, as JSON-encodable data staff can edit.
 */
import { Schema } from "effect"
import { Applicability } from "./Applicability.ts"
import { DueDateRule, AnchorDate } from "./DueDateRule.ts"
import { HolidayCalendarId } from "./HolidayCalendar.ts"
import { RuleSource } from "./PlannedEntry.ts"

/** One recurring or event-driven obligation: who has it, when it is due, and where the rule comes from. */
export class ObligationRule extends Schema.Class<ObligationRule>("ObligationRule")({
  /** Stable identifier, such as `fcc-499a`; becomes `PlannedEntry.obligationId`. */
  id: Schema.String.pipe(Schema.pattern(/^[a-z0-9]+(-[a-z0-9]+)*$/)),
  title: Schema.String,
  /** Regulator or jurisdiction code, such as `FCC`, `CRA`, `BC` or `US-TX`. */
  jurisdiction: Schema.String,
  source: RuleSource,
  /** IANA zone the due date is counted in. */
  timeZone: Schema.String,
  holidayCalendar: HolidayCalendarId,
  appliesWhen: Applicability,
  due: DueDateRule,
  /** `next-business-day` rolls a weekend or holiday forward; `none` keeps the date, as for a contract renewal. */
  roll: Schema.Literal("next-business-day", "none"),
  /** First year the rule produces entries, when it starts at a known date. */
  effectiveFrom: Schema.optional(Schema.Int),
  /** When present, entries are produced only for due years after the year of this anchor date. */
  startsYearAfter: Schema.optional(AnchorDate),
  /** Catalog slug of the Performance West service that files this obligation. */
  catalogService: Schema.optional(Schema.String),
  /** A fact staff and customers need, such as a government fee; shown in every entry's explanation. */
  note: Schema.optional(Schema.String)
}) {}

/** A complete rule set with the date it was last reviewed. */
export class RuleSet extends Schema.Class<RuleSet>("RuleSet")({
  /** Date staff last reviewed the rules, `YYYY-MM-DD`. */
  reviewedOn: Schema.String,
  rules: Schema.Array(ObligationRule)
}) {}

/** Encodes and decodes a rule set to and from its JSON form. */
export const RuleSetJson = Schema.parseJson(RuleSet)
