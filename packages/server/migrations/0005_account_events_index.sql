-- The audit log shows members' account events (log-ins, passwords, sessions), which have no org.
CREATE INDEX events_account_actor_idx ON events (actor_id, id) WHERE org_id IS NULL;
