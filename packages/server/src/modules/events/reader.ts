import type { Queryable } from '../../db/types.js';

/**
 * Where a consumer of the events table stands: the transaction id and event id of the last event
 * it read. Events are read in (txid, id) order and only from transactions older than every one
 * still in flight, so no event can later commit below a position already handed out.
 */
export interface EventPosition {
  txid: string;
  id: number;
}

export interface StoredEvent {
  id: number;
  txid: string;
  orgId: string | null;
  actorKind: string;
  actorId: string | null;
  entity: string;
  entityId: string | null;
  action: string;
  changes: Record<string, unknown>;
  createdAt: Date;
}

/** The start: before every event. */
export const ORIGIN: EventPosition = { txid: '0', id: 0 };

/** A position as one opaque string (an SSE `id:`, a webhook cursor), and back. */
export function encodePosition(position: EventPosition): string {
  return `${position.txid}.${position.id}`;
}

export function decodePosition(text: string): EventPosition | undefined {
  const match = /^(\d{1,20})\.(\d{1,15})$/.exec(text);
  return match ? { txid: match[1]!, id: Number(match[2]) } : undefined;
}

/**
 * Up to `limit` events after `position`, in an order every reader agrees on, and the position to
 * resume from. Events of transactions that are still running, and of every transaction that
 * started after the oldest of them, wait for a later read: that is what makes the returned
 * position safe (PostgreSQL's `pg_snapshot_xmin`, on both databases). The bound is the whole
 * cluster's: a long transaction anywhere on the server (another database too) holds readers back
 * until it ends; they never skip, they wait.
 */
export async function readEventsAfter(
  db: Queryable,
  position: EventPosition,
  options: { limit: number; orgId?: string },
): Promise<{ events: StoredEvent[]; position: EventPosition }> {
  const { rows } = await db.query<{
    id: number;
    txid: string;
    org_id: string | null;
    actor_kind: string;
    actor_id: string | null;
    entity: string;
    entity_id: string | null;
    action: string;
    changes: Record<string, unknown>;
    created_at: Date;
  }>(
    `SELECT id, txid::text AS txid, org_id, actor_kind, actor_id, entity, entity_id, action,
            changes, created_at
     FROM events
     WHERE (txid, id) > ($1::xid8, $2::bigint)
       AND txid < pg_snapshot_xmin(pg_current_snapshot())
       AND ($4::uuid IS NULL OR org_id = $4::uuid)
     ORDER BY txid, id LIMIT $3`,
    [position.txid, position.id, options.limit, options.orgId ?? null],
  );
  const events = rows.map((row) => ({
    id: row.id,
    txid: row.txid,
    orgId: row.org_id,
    actorKind: row.actor_kind,
    actorId: row.actor_id,
    entity: row.entity,
    entityId: row.entity_id,
    action: row.action,
    changes: row.changes,
    createdAt: row.created_at,
  }));
  const last = events.at(-1);
  return { events, position: last ? { txid: last.txid, id: last.id } : position };
}
