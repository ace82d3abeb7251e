-- iCalendar feed links of carriers' compliance calendars. The link's token is
-- the credential, so only its SHA-256 (hex) is stored; a revoked link keeps
-- its row with revoked_at set and no longer serves the feed.

CREATE TABLE calendar_feeds (
  id text PRIMARY KEY,
  carrier_id text NOT NULL,
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  CHECK (revoked_at IS NULL OR revoked_at >= created_at)
);
CREATE INDEX calendar_feeds_carrier_idx ON calendar_feeds (carrier_id);
