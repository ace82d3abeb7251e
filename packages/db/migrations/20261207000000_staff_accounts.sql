-- Staff accounts of the admin console, their browser sessions, the failed
-- sign-in attempts that drive the lockout, and per-account staff API keys.
-- Session tokens and API keys are stored only as their SHA-256 (hex). Every
-- timestamp is written by the application from its clock, so idle and
-- absolute session expiry and the lockout window follow one time source.

CREATE TABLE staff_accounts (
  id text PRIMARY KEY,
  email text NOT NULL UNIQUE CHECK (email <> '' AND email = lower(email)),
  name text NOT NULL CHECK (name <> ''),
  role text NOT NULL CHECK (role IN ('admin', 'reviewer', 'finance')),
  -- scrypt$N$r$p$salt$hash, salt and hash in base64url.
  password_hash text NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
  -- Base32 (RFC 4648) TOTP secret, stored in plain text: it has to be read
  -- back to compute codes, so a hash would not work.
  totp_secret text CHECK (totp_secret ~ '^[A-Z2-7]+$'),
  -- Last accepted TOTP time step (Unix seconds / 30); a code is accepted
  -- only for a later step, so no code works twice.
  totp_last_step bigint,
  must_change_password boolean NOT NULL DEFAULT false,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL
);

CREATE TABLE staff_sessions (
  token_sha256 text PRIMARY KEY CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
  account_id text NOT NULL REFERENCES staff_accounts (id),
  role text NOT NULL CHECK (role IN ('admin', 'reviewer', 'finance')),
  -- Sent in the console's forms and compared with the form's copy; useless
  -- without the session cookie, so it is kept in plain text.
  csrf_token text NOT NULL CHECK (csrf_token <> ''),
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  CHECK (expires_at > created_at)
);
CREATE INDEX staff_sessions_account_idx ON staff_sessions (account_id);

-- One row per failed sign-in, under two keys: `account:<email>` and
-- `client:<address>`. Rows older than the lockout window are pruned on the
-- next attempt with the same key.
CREATE TABLE staff_sign_in_attempts (
  id bigserial PRIMARY KEY,
  key text NOT NULL CHECK (key <> ''),
  attempted_at timestamptz NOT NULL
);
CREATE INDEX staff_sign_in_attempts_key_idx ON staff_sign_in_attempts (key, attempted_at);

CREATE TABLE staff_api_keys (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES staff_accounts (id),
  label text NOT NULL CHECK (label <> ''),
  key_sha256 text NOT NULL UNIQUE CHECK (key_sha256 ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX staff_api_keys_account_idx ON staff_api_keys (account_id);
