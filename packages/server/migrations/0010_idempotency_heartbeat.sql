-- A claim is kept alive by its running request; only a claim whose heartbeat stopped (its
-- process is gone) may be taken over.
ALTER TABLE idempotency_keys ADD COLUMN heartbeat_at timestamptz;
UPDATE idempotency_keys SET heartbeat_at = created_at;
ALTER TABLE idempotency_keys ALTER COLUMN heartbeat_at SET NOT NULL;
