-- The compliance calendar: one row per carrier, obligation and period (the
-- entry key `carrierId:obligationId:period`), owned by the ComplianceEntry
-- entity, and at most one invoice per billable entry. Every status change
-- writes an audit_events row with entity_type 'ComplianceEntry' in the same
-- transaction, together with its outbox e-mail.

CREATE TABLE compliance_entries (
  key text PRIMARY KEY,
  carrier_id text NOT NULL,
  obligation_id text NOT NULL,
  period text NOT NULL,
  title text NOT NULL,
  jurisdiction text NOT NULL,
  due_date date NOT NULL,
  nominal_due_date date NOT NULL,
  time_zone text NOT NULL,
  source jsonb NOT NULL,
  explanation text NOT NULL,
  billable_amount bigint CHECK (billable_amount IS NULL OR billable_amount >= 0),
  status text NOT NULL,
  contact_email text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (key = carrier_id || ':' || obligation_id || ':' || period)
);
CREATE INDEX compliance_entries_carrier_due_idx ON compliance_entries (carrier_id, due_date);

CREATE TABLE compliance_invoices (
  id text PRIMARY KEY,
  entry_key text NOT NULL UNIQUE REFERENCES compliance_entries (key),
  amount bigint NOT NULL CHECK (amount >= 0),
  status text NOT NULL,
  sent_at timestamptz NOT NULL,
  paid_at timestamptz,
  payment_reference text
);
