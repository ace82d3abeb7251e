-- Staff edits of the compliance obligation rules. Each row is an
-- ObligationRule (packages/domain/src/compliance/ObligationRule.ts) in its
-- JSON form, validated by that schema before it is written. A row whose
-- rule_id is a shipped rule's id replaces that rule (an override); any other
-- row adds a rule. Deleting an override restores the shipped rule. Each
-- change writes an audit_events row with entity_type 'ObligationRule' naming
-- the staff member.

CREATE TABLE obligation_rules (
  rule_id text PRIMARY KEY CHECK (rule_id ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  rule jsonb NOT NULL CHECK (jsonb_typeof(rule) = 'object' AND rule ->> 'id' = rule_id),
  updated_by text NOT NULL CHECK (updated_by <> ''),
  updated_at timestamptz NOT NULL DEFAULT now()
);
