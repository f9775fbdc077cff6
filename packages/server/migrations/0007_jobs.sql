-- One durable queue for background work (mail, maintenance; later reminders, webhooks, timers).
-- Workers claim due rows with FOR UPDATE SKIP LOCKED and hold them under a lease: a job whose
-- worker died is claimed again once its lease ends. run_at NULL means "as soon as possible".
CREATE TABLE jobs (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  run_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 8 CHECK (max_attempts > 0),
  backoff_seconds integer NOT NULL DEFAULT 15 CHECK (backoff_seconds >= 0),
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'dead')),
  locked_by text,
  locked_until timestamptz,
  last_error text,
  -- At most one pending job per (kind, singleton_key): recurring work schedules itself once.
  singleton_key text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz
);
CREATE INDEX jobs_due_idx ON jobs (run_at NULLS FIRST, id) WHERE state = 'pending';
CREATE INDEX jobs_lease_idx ON jobs (locked_until) WHERE state = 'running';
CREATE INDEX jobs_finished_idx ON jobs (updated_at) WHERE state = 'done';
CREATE UNIQUE INDEX jobs_singleton_idx ON jobs (kind, singleton_key)
  WHERE state = 'pending' AND singleton_key IS NOT NULL;

-- mail_outbox stays the record of each message; its delivery is a job now.
INSERT INTO jobs (kind, payload)
  SELECT 'mail.deliver', jsonb_build_object('mailId', id) FROM mail_outbox WHERE status = 'pending'
  ORDER BY id;
DROP INDEX IF EXISTS mail_outbox_pending_idx;
ALTER TABLE mail_outbox DROP COLUMN next_attempt_at;
