/**
 * Staff edits of the obligation rules in `obligation_rules`: a row replaces
 * the shipped rule of the same id (an override) or adds a rule. The
 * effective rule set is the shipped set with each override in its place,
 * followed by the added rules in id order. Reads go to the database on every
 * call, with no cache, so an edit made through one runner applies to the
 * next plan in every runner.
 */
import { SqlClient } from "@effect/sql"
import * as AuditLog from "@pw/db/AuditLog"
import { findService } from "@pw/domain/Catalog"
import { defaultRuleSet } from "@pw/domain/compliance/DefaultRuleSet"
import { ObligationRule, RuleSet } from "@pw/domain/compliance/ObligationRule"
import { Context, Effect, Layer, Option, Schema } from "effect"
import { randomUUID } from "node:crypto"
import { RuleSource } from "./RuleSource.ts"

/** The origin of an effective rule: `default` (shipped, unedited), `override` (a staff edit of a shipped rule) or `added` (by staff). */
export const RuleOrigin = Schema.Literal("default", "override", "added")
export type RuleOrigin = typeof RuleOrigin.Type

/** A rule of the effective set, with where it comes from and, for a staff edit, who made it and when. */
export class EffectiveRule extends Schema.Class<EffectiveRule>("EffectiveRule")({
  origin: RuleOrigin,
  /** The rule's `source.citation`. */
  citation: Schema.String,
  /** The rule's `source.verified`: false while its date or amount is unconfirmed. */
  verified: Schema.Boolean,
  rule: ObligationRule,
  updatedBy: Schema.optional(Schema.String),
  updatedAt: Schema.optional(Schema.DateTimeUtc)
}) {}

/** The outcome of removing a staff edit: the shipped rule it restored, or nothing for an added rule. */
export class RuleRemoved extends Schema.Class<RuleRemoved>("RuleRemoved")({
  ruleId: Schema.String,
  removed: Schema.Literal("override", "added"),
  /** The shipped rule in force again, absent when the removed rule was an added one. */
  restored: Schema.optional(EffectiveRule)
}) {}

/** A staff rule edit the store rejects, with `field` naming the rule field at fault. */
export class RuleRejected extends Schema.TaggedError<RuleRejected>()("RuleRejected", {
  ruleId: Schema.String,
  field: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `obligation rule ${this.ruleId} rejected, ${this.field}: ${this.reason}`
  }
}

/** There is no staff edit of the rule to remove. */
export class RuleEditNotFound extends Schema.TaggedError<RuleEditNotFound>()("RuleEditNotFound", {
  ruleId: Schema.String
}) {
  override get message() {
    return `obligation rule ${this.ruleId} has no staff edit to remove: it is ${
      defaultRules.has(this.ruleId) ? "the shipped rule already" : "not a rule of the effective set"
    }; GET /v1/staff/compliance/rules lists the rules and their origin`
  }
}

const defaultRules = new Map(defaultRuleSet.rules.map((rule) => [rule.id, rule]))

const RuleRow = Schema.Struct({
  rule_id: Schema.String,
  rule: ObligationRule,
  updated_by: Schema.String,
  updated_at: Schema.DateTimeUtcFromDate
})
type RuleRow = typeof RuleRow.Type
const decodeRows = Schema.decodeUnknown(Schema.Array(RuleRow))
const encodeRule = Schema.encodeSync(ObligationRule)

const fromDefault = (rule: ObligationRule): EffectiveRule =>
  new EffectiveRule({ origin: "default", citation: rule.source.citation, verified: rule.source.verified, rule })

const fromRow = (row: RuleRow): EffectiveRule =>
  new EffectiveRule({
    origin: defaultRules.has(row.rule_id) ? "override" : "added",
    citation: row.rule.source.citation,
    verified: row.rule.source.verified,
    rule: row.rule,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at
  })

/** Applies `rows` to the shipped rules: overrides in the shipped order, then added rules by id. */
const effectiveRules = (rows: ReadonlyArray<RuleRow>): ReadonlyArray<EffectiveRule> => {
  const byId = new Map(rows.map((row) => [row.rule_id, row]))
  const shipped = defaultRuleSet.rules.map((rule) => {
    const row = byId.get(rule.id)
    return row === undefined ? fromDefault(rule) : fromRow(row)
  })
  const added = rows.filter((row) => !defaultRules.has(row.rule_id)).sort((a, b) => a.rule_id.localeCompare(b.rule_id)).map(fromRow)
  return [...shipped, ...added]
}

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** Checks what the schema cannot: the path id, the time zone and the catalog service. */
const checkRule = (ruleId: string, rule: ObligationRule): Option.Option<RuleRejected> => {
  if (rule.id !== ruleId) {
    return Option.some(new RuleRejected({ ruleId, field: "id", reason: `the body's id ${rule.id} is not the rule id of the path; send the rule under its own id` }))
  }
  if (!isTimeZone(rule.timeZone)) {
    return Option.some(new RuleRejected({ ruleId, field: "timeZone", reason: `${JSON.stringify(rule.timeZone)} is not an IANA time zone; use one such as America/New_York` }))
  }
  if (rule.catalogService !== undefined && findService(rule.catalogService) === undefined) {
    return Option.some(new RuleRejected({
      ruleId,
      field: "catalogService",
      reason: `${JSON.stringify(rule.catalogService)} is not a service of the catalog; use a slug GET /v1/catalog lists, or leave it out`
    }))
  }
  return Option.none()
}

/** Entity type of the audit rows of rule edits. */
const auditEntityType = "ObligationRule"

/** Reads and writes staff edits of the obligation rules. */
export class ObligationRuleStore extends Context.Tag("@pw/compliance-calendar/ObligationRuleStore")<
  ObligationRuleStore,
  {
    /** The effective rules: shipped ones in their order, each replaced by its override, then added rules by id. */
    readonly list: Effect.Effect<ReadonlyArray<EffectiveRule>>
    /** The effective rule set, with the shipped set's `reviewedOn`. */
    readonly current: Effect.Effect<RuleSet>
    /**
     * Stores `rule` as the staff edit of `ruleId`, replacing any earlier
     * edit, and writes an audit row naming `updatedBy` unless the stored
     * edit is already equal. Fails when the body's id is not `ruleId`, the
     * time zone is unknown or the catalog service does not exist.
     */
    readonly put: (ruleId: string, rule: ObligationRule, updatedBy: string) => Effect.Effect<EffectiveRule, RuleRejected>
    /**
     * Removes the staff edit of `ruleId` with an audit row naming
     * `updatedBy`: an override gives way to the shipped rule, an added rule
     * disappears. Fails when the rule has no staff edit.
     */
    readonly remove: (ruleId: string, updatedBy: string) => Effect.Effect<RuleRemoved, RuleEditNotFound>
  }
>() {
  /** The store on the platform's PostgreSQL. */
  static readonly layer = Layer.effect(
    ObligationRuleStore,
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient

      const selectAll = sql`SELECT rule_id, rule, updated_by, updated_at FROM obligation_rules`.pipe(
        Effect.flatMap(decodeRows),
        Effect.orDie
      )
      const selectOne = (ruleId: string) =>
        sql`SELECT rule_id, rule, updated_by, updated_at FROM obligation_rules WHERE rule_id = ${ruleId}`.pipe(
          Effect.flatMap(decodeRows),
          Effect.map((rows) => Option.fromNullable(rows[0])),
          Effect.orDie
        )

      const list = Effect.map(selectAll, effectiveRules).pipe(Effect.withSpan("ObligationRuleStore.list"))

      const current = Effect.map(list, (rules) =>
        new RuleSet({ reviewedOn: defaultRuleSet.reviewedOn, rules: rules.map((each) => each.rule) })
      ).pipe(Effect.withSpan("ObligationRuleStore.current"))

      const put = Effect.fn("ObligationRuleStore.put")(function*(ruleId: string, rule: ObligationRule, updatedBy: string) {
        const rejected = checkRule(ruleId, rule)
        if (Option.isSome(rejected)) return yield* rejected.value
        const encoded = encodeRule(rule)
        const json = JSON.stringify(encoded)
        yield* Effect.gen(function*() {
          const previous = yield* selectOne(ruleId)
          if (Option.isSome(previous) && JSON.stringify(encodeRule(previous.value.rule)) === json) return
          yield* AuditLog.record({
            entityType: auditEntityType,
            entityId: ruleId,
            requestId: randomUUID(),
            event: Option.isSome(previous) ? "updated" : defaultRules.has(ruleId) ? "overridden" : "added",
            data: { updatedBy, rule: encoded }
          })
          yield* sql`
            INSERT INTO obligation_rules (rule_id, rule, updated_by)
            VALUES (${ruleId}, ${json}::jsonb, ${updatedBy})
            ON CONFLICT (rule_id) DO UPDATE SET rule = EXCLUDED.rule, updated_by = EXCLUDED.updated_by, updated_at = now()
          `
          yield* Effect.annotateLogs(Effect.logInfo("obligation rule edited"), { ruleId, updatedBy })
        }).pipe(Effect.provideService(SqlClient.SqlClient, sql), sql.withTransaction, Effect.orDie)
        const stored = yield* selectOne(ruleId)
        return yield* Option.match(stored, {
          onNone: () => Effect.dieMessage(`obligation rule ${ruleId} vanished after it was stored`),
          onSome: (row) => Effect.succeed(fromRow(row))
        })
      })

      const remove = Effect.fn("ObligationRuleStore.remove")(function*(ruleId: string, updatedBy: string) {
        const removed = yield* Effect.gen(function*() {
          const previous = yield* selectOne(ruleId)
          if (Option.isNone(previous)) return Option.none<RuleRow>()
          yield* AuditLog.record({
            entityType: auditEntityType,
            entityId: ruleId,
            requestId: randomUUID(),
            event: "edit-removed",
            data: { updatedBy, rule: encodeRule(previous.value.rule) }
          })
          yield* sql`DELETE FROM obligation_rules WHERE rule_id = ${ruleId}`
          yield* Effect.annotateLogs(Effect.logInfo("obligation rule edit removed"), { ruleId, updatedBy })
          return previous
        }).pipe(Effect.provideService(SqlClient.SqlClient, sql), sql.withTransaction, Effect.orDie)
        if (Option.isNone(removed)) return yield* new RuleEditNotFound({ ruleId })
        const shipped = defaultRules.get(ruleId)
        return shipped === undefined
          ? new RuleRemoved({ ruleId, removed: "added" })
          : new RuleRemoved({ ruleId, removed: "override", restored: fromDefault(shipped) })
      })

      return ObligationRuleStore.of({ list, current, put, remove })
    })
  )

  /** {@link RuleSource} backed by this store, reading the table on every call. Needs PostgreSQL. */
  static readonly ruleSource: Layer.Layer<RuleSource, never, SqlClient.SqlClient> = Layer.effect(
    RuleSource,
    Effect.map(ObligationRuleStore, (store) => RuleSource.of({ current: store.current }))
  ).pipe(Layer.provide(ObligationRuleStore.layer))
}
