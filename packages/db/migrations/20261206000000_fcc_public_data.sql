-- Public FCC data the compliance check reads: the Form 499 Filer Database,
-- the Robocall Mitigation Database and CORES registration pages. Each import
-- is one transaction: a data set is replaced whole, or not at all, and
-- fcc_imports records every import with its as-of date and rejected rows.

CREATE TABLE fcc_imports (
  id bigserial PRIMARY KEY,
  dataset text NOT NULL CHECK (dataset IN ('form499', 'rmd', 'cores')),
  source_file text NOT NULL,
  sha256 text NOT NULL,
  as_of date NOT NULL,
  records integer NOT NULL CHECK (records >= 0),
  rejected integer NOT NULL CHECK (rejected >= 0),
  -- The first rejected rows: [{ row, column, value, message }].
  rejections jsonb NOT NULL DEFAULT '[]'::jsonb,
  ignored_columns jsonb NOT NULL DEFAULT '[]'::jsonb,
  imported_at timestamptz NOT NULL DEFAULT now()
);

-- The import each bulk data set currently comes from.
CREATE TABLE fcc_datasets (
  dataset text PRIMARY KEY CHECK (dataset IN ('form499', 'rmd')),
  import_id bigint NOT NULL REFERENCES fcc_imports (id),
  as_of date NOT NULL,
  sha256 text NOT NULL
);

CREATE TABLE form499_filers (
  filer_id text PRIMARY KEY CHECK (filer_id ~ '^[0-9]{6}$'),
  frn text NOT NULL CHECK (frn ~ '^[0-9]{10}$'),
  legal_name text NOT NULL,
  doing_business_as text,
  last_filing date,
  usf_contributor boolean NOT NULL,
  principal_comm_type text,
  holding_company text,
  hq_address text,
  hq_city text,
  hq_state text,
  hq_zip_code text,
  dc_agent text,
  dc_agent_address text,
  jurisdictions text[] NOT NULL DEFAULT '{}',
  source_row integer NOT NULL
);
CREATE INDEX form499_filers_frn_idx ON form499_filers (frn);

CREATE TABLE rmd_filings (
  source_row integer PRIMARY KEY,
  frn text NOT NULL CHECK (frn ~ '^[0-9]{10}$'),
  business_name text NOT NULL,
  implementation text,
  voice_service_provider boolean,
  gateway_provider boolean,
  non_gateway_intermediate_provider boolean,
  foreign_voice_provider boolean,
  other_frns text[] NOT NULL DEFAULT '{}',
  last_updated date,
  last_recertified date
);
CREATE INDEX rmd_filings_frn_idx ON rmd_filings (frn);
CREATE INDEX rmd_filings_other_frns_idx ON rmd_filings USING gin (other_frns);

-- One row per FRN whose CORES page was imported; found = false records the
-- page CORES serves when the FRN has no registration.
CREATE TABLE cores_registrations (
  frn text PRIMARY KEY CHECK (frn ~ '^[0-9]{10}$'),
  found boolean NOT NULL,
  entity_name text,
  entity_type text,
  registration_date date,
  last_updated date,
  contact_organization text,
  contact_address text,
  as_of date NOT NULL,
  import_id bigint NOT NULL REFERENCES fcc_imports (id)
);
