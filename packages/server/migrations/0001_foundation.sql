-- Server-wide settings that every instance must share (for example the token signing key).
CREATE TABLE settings (
  key text PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The spine: every mutation writes one row here in its own transaction. The audit log, activity
-- feeds, notifications, the event stream and webhooks all read from it.
CREATE TABLE events (
  id bigserial PRIMARY KEY,
  org_id uuid,
  actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'system', 'anonymous')),
  actor_id uuid,
  entity text NOT NULL,
  entity_id text,
  action text NOT NULL,
  changes jsonb NOT NULL DEFAULT '{}'::jsonb,
  ip text,
  request_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_org_id_id_idx ON events (org_id, id);
CREATE INDEX events_entity_idx ON events (entity, entity_id, id);

-- Responses to writes sent with an Idempotency-Key, replayed on retry for 24 hours.
CREATE TABLE idempotency_keys (
  scope text NOT NULL,
  key text NOT NULL,
  method text NOT NULL,
  path text NOT NULL,
  request_hash text NOT NULL,
  status integer,
  headers jsonb,
  body text,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);
