-- Customer e-mails, written in the same transaction as the state change they
-- report (a transactional outbox): the e-mail exists exactly when the change
-- committed. `id` is the caller's dedupe key, so enqueueing the same
-- notification twice leaves one row. A dispatcher claims due rows with
-- SELECT ... FOR UPDATE SKIP LOCKED, sends each over SMTP with `message_id` as
-- its Message-ID header and sets `sent_at`.
--
-- `next_attempt_at` is when the row is due: the enqueue time, then the time of
-- the next retry after a failed send. It is NULL once the row is sent or after
-- its last allowed attempt failed; such a row waits for staff, who send it
-- again with UPDATE mail_outbox SET attempts = 0, next_attempt_at = now()
-- WHERE id = ... AND sent_at IS NULL.

CREATE TABLE mail_outbox (
  id text PRIMARY KEY,
  kind text NOT NULL,
  recipient text NOT NULL,
  subject text NOT NULL,
  text_body text NOT NULL,
  html_body text NOT NULL,
  order_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz,
  last_error text,
  sent_at timestamptz,
  message_id text NOT NULL UNIQUE
);

-- Due unsent rows, in the order the dispatcher claims them.
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at, id)
  WHERE sent_at IS NULL AND next_attempt_at IS NOT NULL;

CREATE INDEX mail_outbox_order_id_idx ON mail_outbox (order_id) WHERE order_id IS NOT NULL;
