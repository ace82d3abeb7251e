-- Customers, the carriers (by FRN) each may see, and their API keys for the
-- MCP server. A key is `pwk_` followed by random characters and is shown
-- once; only its SHA-256 (hex) is stored. The key id is derived from that
-- hash, so a log can name the id of any presented key without the key. A
-- revoked key keeps its row with revoked_at set and no longer authenticates.

CREATE TABLE customers (
  id text PRIMARY KEY,
  name text NOT NULL CHECK (name <> ''),
  email text NOT NULL CHECK (email <> ''),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE customer_carriers (
  customer_id text NOT NULL REFERENCES customers (id),
  frn text NOT NULL CHECK (frn ~ '^[0-9]{10}$'),
  PRIMARY KEY (customer_id, frn)
);
CREATE INDEX customer_carriers_frn_idx ON customer_carriers (frn);

CREATE TABLE customer_api_keys (
  id text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers (id),
  key_sha256 text NOT NULL UNIQUE CHECK (key_sha256 ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  CHECK (revoked_at IS NULL OR revoked_at >= created_at)
);
CREATE INDEX customer_api_keys_customer_idx ON customer_api_keys (customer_id);
