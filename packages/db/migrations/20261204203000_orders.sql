-- Carriers, orders, their payments and documents, and the audit trail.
-- Every state change of an entity writes one audit_events row whose
-- (entity_type, entity_id, request_id) is unique: a redelivered message finds
-- its row and changes nothing.

CREATE TABLE carriers (
  frn text PRIMARY KEY CHECK (frn ~ '^[0-9]{10}$'),
  legal_name text NOT NULL,
  filer_499_id text NOT NULL CHECK (filer_499_id ~ '^[0-9]{6}$'),
  address jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders (
  id text PRIMARY KEY,
  status text NOT NULL,
  carrier_frn text NOT NULL,
  carrier jsonb NOT NULL,
  items jsonb NOT NULL,
  quote jsonb NOT NULL,
  cpni_certification jsonb,
  access_token_hash text NOT NULL,
  request_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_carrier_frn_idx ON orders (carrier_frn);

CREATE TABLE order_payments (
  id text PRIMARY KEY,
  order_id text NOT NULL REFERENCES orders (id),
  gateway text NOT NULL,
  method text NOT NULL,
  currency text NOT NULL,
  amount bigint NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_payments_order_id_idx ON order_payments (order_id);

CREATE TABLE order_documents (
  id text PRIMARY KEY,
  order_id text NOT NULL REFERENCES orders (id),
  kind text NOT NULL,
  object_key text NOT NULL,
  file_name text NOT NULL,
  content_type text NOT NULL,
  size bigint NOT NULL,
  sha256 text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_documents_order_id_idx ON order_documents (order_id);

CREATE TABLE audit_events (
  id bigserial PRIMARY KEY,
  entity_type text NOT NULL,
  entity_id text NOT NULL,
  request_id text NOT NULL,
  event text NOT NULL,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (entity_type, entity_id, request_id)
);
CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id, id);
