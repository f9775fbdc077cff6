import type { Queryable } from '../../db/types.js';
import type { Keyset } from '../../lib/keyset.js';

export interface LinkRow {
  direction: 'blocks' | 'blockedBy';
  id: string;
  key: string;
  title: string;
  category: 'backlog' | 'unstarted' | 'started' | 'completed' | 'cancelled';
  estimate_minutes: number | null;
}

const LINKED = `t.id, p.key || '-' || t.number AS key, t.title, s.category, t.estimate_minutes
  FROM task_dependencies d
  JOIN tasks t ON t.org_id = d.org_id AND t.id = d.%s AND t.deleted_at IS NULL
  JOIN projects p ON p.org_id = t.org_id AND p.id = t.project_id AND p.deleted_at IS NULL
  JOIN project_statuses s ON s.org_id = t.org_id AND s.id = t.status_id`;

/** What the task blocks and what blocks it (live tasks only), in one query. */
export async function linksOf(db: Queryable, orgId: string, taskId: string): Promise<LinkRow[]> {
  const { rows } = await db.query<LinkRow>(
    `SELECT 'blocks' AS direction, ${LINKED.replace('%s', 'blocked_id')}
       WHERE d.org_id = $1 AND d.blocker_id = $2
     UNION ALL
     SELECT 'blockedBy' AS direction, ${LINKED.replace('%s', 'blocker_id')}
       WHERE d.org_id = $1 AND d.blocked_id = $2
     ORDER BY direction, key`,
    [orgId, taskId],
  );
  return rows;
}

/**
 * Serialises dependency writes of one organization until the transaction ends, so two links
 * that would close a cycle together cannot both pass the check.
 */
export async function lockDependencies(db: Queryable, orgId: string): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtextextended('task-dependencies:' || $1, 0))`, [
    orgId,
  ]);
}

/**
 * A chain of existing links from `from` to `to` (ids, `from` first), or undefined: the cycle a
 * link `to` → `from` would close. Deleted tasks keep their links, so they count too.
 */
export async function chainBetween(
  db: Queryable,
  orgId: string,
  from: string,
  to: string,
): Promise<string[] | undefined> {
  const { rows } = await db.query<{ keys: string[] }>(
    `WITH RECURSIVE walk(id, path) AS (
       SELECT $2::uuid, ARRAY[$2::uuid]
       UNION ALL
       SELECT d.blocked_id, w.path || d.blocked_id
       FROM walk w JOIN task_dependencies d ON d.org_id = $1 AND d.blocker_id = w.id
       WHERE NOT d.blocked_id = ANY(w.path)
     ), found AS (SELECT path FROM walk WHERE id = $3 LIMIT 1)
     SELECT ARRAY(
       SELECT p.key || '-' || t.number
       FROM found, unnest(found.path) WITH ORDINALITY AS step(id, n)
       JOIN tasks t ON t.org_id = $1 AND t.id = step.id
       JOIN projects p ON p.org_id = t.org_id AND p.id = t.project_id
       ORDER BY step.n
     ) AS keys FROM found`,
    [orgId, from, to],
  );
  return rows[0]?.keys;
}

/** Adds the link; false when it was there already. */
export async function insertLink(
  db: Queryable,
  link: { orgId: string; blocker: string; blocked: string; createdBy: string | null; now: Date },
): Promise<boolean> {
  const { rows } = await db.query(
    `INSERT INTO task_dependencies (org_id, blocker_id, blocked_id, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING blocker_id`,
    [link.orgId, link.blocker, link.blocked, link.createdBy, link.now],
  );
  return rows.length > 0;
}

/** Removes the link between two tasks, whichever way it runs; false when there was none. */
export async function deleteLink(
  db: Queryable,
  orgId: string,
  a: string,
  b: string,
): Promise<boolean> {
  const { rows } = await db.query(
    `DELETE FROM task_dependencies WHERE org_id = $1
       AND ((blocker_id = $2 AND blocked_id = $3) OR (blocker_id = $3 AND blocked_id = $2))
     RETURNING blocker_id`,
    [orgId, a, b],
  );
  return rows.length > 0;
}

export interface GraphRow {
  id: string;
  key: string;
  title: string;
  category: LinkRow['category'];
  estimate_minutes: number | null;
  blocked_by: string[];
}

/** The project's unfinished live tasks, each with the unfinished tasks of the project blocking it. */
export async function unfinishedGraph(
  db: Queryable,
  orgId: string,
  projectId: string,
): Promise<GraphRow[]> {
  const { rows } = await db.query<GraphRow>(
    `WITH open AS (
       SELECT t.id, t.number, t.title, s.category, t.estimate_minutes
       FROM tasks t JOIN project_statuses s ON s.org_id = t.org_id AND s.id = t.status_id
       WHERE t.org_id = $1 AND t.project_id = $2 AND t.deleted_at IS NULL
         AND s.category NOT IN ('completed', 'cancelled')
     )
     SELECT o.id, p.key || '-' || o.number AS key, o.title, o.category, o.estimate_minutes,
       ARRAY(SELECT d.blocker_id::text FROM task_dependencies d JOIN open b ON b.id = d.blocker_id
             WHERE d.org_id = $1 AND d.blocked_id = o.id) AS blocked_by
     FROM open o JOIN projects p ON p.org_id = $1 AND p.id = $2
     ORDER BY o.number`,
    [orgId, projectId],
  );
  return rows;
}

export interface ActivityRow {
  id: string;
  action: string;
  actor_kind: 'user' | 'api_key' | 'system' | 'anonymous';
  actor_id: string | null;
  actor_name: string | null;
  changes: Record<string, unknown>;
  created_at: Date;
}

/** A page of the task's events, actors named in the same query. */
export async function activityOf(
  db: Queryable,
  orgId: string,
  taskId: string,
  keyset: Keyset,
): Promise<ActivityRow[]> {
  const params: unknown[] = [orgId, taskId];
  const { rows } = await db.query<ActivityRow>(
    `SELECT ${keyset.select()}, e.id, e.action, e.actor_kind, e.actor_id, e.changes, e.created_at,
       COALESCE(u.name, k.name) AS actor_name
     FROM events e
     LEFT JOIN users u ON e.actor_kind = 'user' AND u.id = e.actor_id
     LEFT JOIN api_keys k ON e.actor_kind = 'api_key' AND k.org_id = $1 AND k.id = e.actor_id
     WHERE e.entity = 'task' AND e.entity_id = $2::text AND e.org_id = $1 AND ${keyset.where(params)}
     ORDER BY ${keyset.orderBy()} ${keyset.limitClause(params)}`,
    params,
  );
  return rows;
}
