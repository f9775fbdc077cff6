-- Responses that carried a secret (tokens, API keys) are recorded without their body.
ALTER TABLE idempotency_keys ADD COLUMN redacted boolean NOT NULL DEFAULT false;
