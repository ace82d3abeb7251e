-- The facts the compliance rules read about one carrier: a ComplianceProfile
-- (packages/domain/src/compliance/ComplianceProfile.ts) in its JSON form,
-- validated by that schema before it is written. `carrier_id` is the carrier
-- id of its compliance entries' keys: the FRN for a US carrier. Each change
-- writes an audit_events row with entity_type 'CarrierComplianceProfile'.

CREATE TABLE carrier_compliance_profiles (
  carrier_id text PRIMARY KEY CHECK (carrier_id ~ '^[A-Za-z0-9_-]{1,64}$'),
  profile jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
