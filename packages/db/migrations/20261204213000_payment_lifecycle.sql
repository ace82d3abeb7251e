-- Payments through outside gateways: checkouts started, payments that move
-- through pending, succeeded, failed and refunded, the notifications each
-- gateway sent (one row per gateway event id, written in the transaction
-- that applies the event), and refunds split across order items.

ALTER TABLE order_payments
  ADD COLUMN status text NOT NULL DEFAULT 'succeeded',
  ADD COLUMN reference text,
  ADD COLUMN available_on timestamptz,
  ADD COLUMN overpaid bigint NOT NULL DEFAULT 0,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

CREATE TABLE order_checkouts (
  id text PRIMARY KEY,
  order_id text NOT NULL REFERENCES orders (id),
  gateway text NOT NULL,
  method text NOT NULL,
  redirect_url text NOT NULL,
  amount bigint NOT NULL,
  started_at timestamptz NOT NULL
);
CREATE INDEX order_checkouts_order_id_idx ON order_checkouts (order_id);

CREATE TABLE payment_events (
  gateway text NOT NULL,
  event_id text NOT NULL,
  order_id text,
  kind text NOT NULL,
  provider_type text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (gateway, event_id)
);

CREATE TABLE order_refunds (
  id text PRIMARY KEY,
  order_id text NOT NULL REFERENCES orders (id),
  payment_id text NOT NULL REFERENCES order_payments (id),
  currency text NOT NULL,
  amount bigint NOT NULL,
  allocations jsonb NOT NULL,
  reason text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_refunds_order_id_idx ON order_refunds (order_id);

ALTER TABLE orders ADD COLUMN contact_email text;
