import type { Queryable } from '../../db/types.js';
import type { Actor, RequestMeta } from '../../lib/events.js';

export interface BulkTarget {
  id: string;
  owner_id: string | null;
  deleted: boolean;
}

/** The organization's leads among `ids` (deleted ones too, so they can be told apart), locked. */
export async function lockTargets(
  db: Queryable,
  orgId: string,
  ids: readonly string[],
): Promise<BulkTarget[]> {
  const { rows } = await db.query<BulkTarget>(
    `SELECT id, owner_id, deleted_at IS NOT NULL AS deleted FROM leads
     WHERE org_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`,
    [orgId, ids],
  );
  return rows;
}

/** Sets one column to one value on every lead: owner, status, deletion. */
export async function setAll(
  db: Queryable,
  orgId: string,
  ids: readonly string[],
  column: 'owner_id' | 'status_id' | 'deleted_at',
  value: string | Date | null,
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE leads SET ${column} = $3, version = version + 1, updated_at = $4
     WHERE org_id = $1 AND id = ANY($2::uuid[])`,
    [orgId, ids, value, now],
  );
}

/**
 * Adds and removes tags, keeping each lead's tags distinct and in the order they came; a lead
 * that would carry more than `max` tags is left as it is. Returns the ids changed.
 */
export async function changeTags(
  db: Queryable,
  orgId: string,
  ids: readonly string[],
  add: readonly string[],
  remove: readonly string[],
  max: number,
  now: Date,
): Promise<Set<string>> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE leads l SET tags = n.tags, version = l.version + 1, updated_at = $6
     FROM (
       SELECT l.id, ARRAY(
         SELECT u.tag FROM unnest(l.tags || $3::text[]) WITH ORDINALITY AS u(tag, n)
         WHERE NOT u.tag = ANY($4::text[]) GROUP BY u.tag ORDER BY min(u.n)) AS tags
       FROM leads l WHERE l.org_id = $1 AND l.id = ANY($2::uuid[])
     ) n
     WHERE l.org_id = $1 AND l.id = n.id AND cardinality(n.tags) <= $5
     RETURNING l.id`,
    [orgId, ids, add, remove, max, now],
  );
  return new Set(rows.map((row) => row.id));
}

/** One event per changed lead, in one statement. */
export async function recordEvents(
  db: Queryable,
  orgId: string,
  ids: readonly string[],
  changes: Record<string, unknown>,
  action: string,
  actor: Actor,
  meta: RequestMeta,
): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    `INSERT INTO events (org_id, actor_kind, actor_id, entity, entity_id, action, changes, ip, request_id)
     SELECT $1, $2, $3, 'lead', e.id, $4, $5, $6, $7 FROM unnest($8::text[]) AS e(id)`,
    [orgId, actor.kind, actor.id, action, JSON.stringify(changes), meta.ip, meta.requestId, ids],
  );
}
