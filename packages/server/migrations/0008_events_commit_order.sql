-- Consumers resume from a position safe in commit order: an id is allocated before its
-- transaction commits, so "id > n" alone skips an event that commits late. Each event keeps the
-- id of its transaction; readers take (txid, id) below the oldest transaction still in flight.
ALTER TABLE events ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX events_txid_id_idx ON events (txid, id);
CREATE INDEX events_org_txid_id_idx ON events (org_id, txid, id);
