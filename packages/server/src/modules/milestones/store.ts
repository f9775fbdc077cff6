import type { Queryable } from '../../db/types.js';
import type { Keyset } from '../../lib/keyset.js';

export interface MilestoneRow {
  id: string;
  project_id: string;
  name: string;
  description: string;
  due_date: string | null;
  created_at: Date;
  updated_at: Date;
  done: number;
  total: number;
  done_estimate: string;
  total_estimate: string;
}

/**
 * A milestone with its progress, aggregated in the same query over its live tasks (cancelled
 * ones left out; done ones in a completed status).
 */
const SELECT = `SELECT m.id, m.project_id, m.name, m.description, m.due_date::text AS due_date,
  m.created_at, m.updated_at, pr.done, pr.total, pr.done_estimate, pr.total_estimate
FROM milestones m
CROSS JOIN LATERAL (
  SELECT count(*) FILTER (WHERE s.category = 'completed')::int AS done, count(*)::int AS total,
    COALESCE(sum(t.estimate_minutes) FILTER (WHERE s.category = 'completed'), 0)::bigint AS done_estimate,
    COALESCE(sum(t.estimate_minutes), 0)::bigint AS total_estimate
  FROM tasks t JOIN project_statuses s ON s.org_id = t.org_id AND s.id = t.status_id
  WHERE t.org_id = m.org_id AND t.milestone_id = m.id AND t.deleted_at IS NULL
    AND s.category <> 'cancelled'
) pr`;

export async function listMilestones(
  db: Queryable,
  orgId: string,
  projectId: string,
  keyset: Keyset,
): Promise<MilestoneRow[]> {
  const params: unknown[] = [orgId, projectId];
  const { rows } = await db.query<MilestoneRow>(
    `${SELECT.replace('SELECT ', `SELECT ${keyset.select()}, `)}
     WHERE m.org_id = $1 AND m.project_id = $2 AND m.deleted_at IS NULL AND ${keyset.where(params)}
     ORDER BY ${keyset.orderBy()} ${keyset.limitClause(params)}`,
    params,
  );
  return rows;
}

/** A live milestone of the project, with its progress. */
export async function findMilestone(
  db: Queryable,
  orgId: string,
  projectId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<MilestoneRow | undefined> {
  const { rows } = await db.query<MilestoneRow>(
    `${SELECT} WHERE m.org_id = $1 AND m.project_id = $2 AND m.id = $3 AND m.deleted_at IS NULL${options.lock ? ' FOR UPDATE OF m' : ''}`,
    [orgId, projectId, id],
  );
  return rows[0];
}

/** Whether `id` is a live milestone of the project (cheap: for task writes). */
export async function isLiveMilestone(
  db: Queryable,
  orgId: string,
  projectId: string,
  id: string,
): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM milestones WHERE org_id = $1 AND project_id = $2 AND id = $3 AND deleted_at IS NULL`,
    [orgId, projectId, id],
  );
  return rows.length > 0;
}

export async function insertMilestone(
  db: Queryable,
  m: {
    orgId: string;
    projectId: string;
    name: string;
    description: string;
    dueDate: string | null;
    now: Date;
  },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO milestones (org_id, project_id, name, description, due_date, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
    [m.orgId, m.projectId, m.name, m.description, m.dueDate, m.now],
  );
  return rows[0]!.id;
}

export async function updateMilestone(
  db: Queryable,
  orgId: string,
  id: string,
  m: { name: string; description: string; dueDate: string | null },
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE milestones SET name = $3, description = $4, due_date = $5, updated_at = $6
     WHERE org_id = $1 AND id = $2`,
    [orgId, id, m.name, m.description, m.dueDate, now],
  );
}

/** Soft-deletes a milestone and, set-wise, takes it off its tasks; returns how many. */
export async function deleteMilestone(
  db: Queryable,
  orgId: string,
  id: string,
  now: Date,
): Promise<number> {
  await db.query(
    'UPDATE milestones SET deleted_at = $3, updated_at = $3 WHERE org_id = $1 AND id = $2',
    [orgId, id, now],
  );
  const result = await db.query(
    `UPDATE tasks SET milestone_id = NULL, version = version + 1, updated_at = $3
     WHERE org_id = $1 AND milestone_id = $2`,
    [orgId, id, now],
  );
  return result.rowCount;
}
