import type { Queryable } from '../../db/types.js';
import type { Keyset } from '../../lib/keyset.js';

export interface ProjectRow {
  org_id: string;
  id: string;
  key: string;
  name: string;
  description: string;
  status: 'active' | 'on_hold' | 'completed';
  start_date: string | null;
  due_date: string | null;
  budget_hours: string | null;
  budget_amount: string | null;
  budget_currency: string | null;
  client_name: string | null;
  lead_id: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
  deleted_at: Date | null;
}

const COLUMNS = `org_id, id, key, name, description, status, start_date::text AS start_date,
  due_date::text AS due_date, budget_hours::text AS budget_hours,
  budget_amount::text AS budget_amount, budget_currency, client_name, lead_id, version,
  created_at, updated_at, archived_at, deleted_at`;

/** Writable columns by their API-side name. */
export interface ProjectValues {
  name?: string;
  description?: string;
  status?: string;
  start_date?: string | null;
  due_date?: string | null;
  budget_hours?: number | null;
  budget_amount?: string | null;
  budget_currency?: string | null;
  client_name?: string | null;
}

export async function insertProject(
  db: Queryable,
  p: {
    orgId: string;
    key: string;
    createdBy: string;
    leadId?: string | null;
    now: Date;
  } & ProjectValues,
): Promise<ProjectRow | undefined> {
  const { rows } = await db.query<ProjectRow>(
    `INSERT INTO projects (org_id, key, name, description, status, start_date, due_date,
       budget_hours, budget_amount, budget_currency, client_name, created_by, created_at, updated_at,
       lead_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14)
     ON CONFLICT (org_id, key) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      p.orgId,
      p.key,
      p.name,
      p.description ?? '',
      p.status ?? 'active',
      p.start_date ?? null,
      p.due_date ?? null,
      p.budget_hours ?? null,
      p.budget_amount ?? null,
      p.budget_currency ?? null,
      p.client_name ?? null,
      p.createdBy,
      p.now,
      p.leadId ?? null,
    ],
  );
  return rows[0];
}

export async function insertStatuses(
  db: Queryable,
  orgId: string,
  projectId: string,
  statuses: readonly { name: string; category: string }[],
  now: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO project_statuses (org_id, project_id, name, category, position, created_at)
     SELECT $1, $2, s.name, s.category, s.ord - 1, $5
     FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS s(name, category, ord)`,
    [orgId, projectId, statuses.map((s) => s.name), statuses.map((s) => s.category), now],
  );
}

export async function findProject(
  db: Queryable,
  orgId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<ProjectRow | undefined> {
  const { rows } = await db.query<ProjectRow>(
    `SELECT ${COLUMNS} FROM projects WHERE org_id = $1 AND id = $2${options.lock ? ' FOR UPDATE' : ''}`,
    [orgId, id],
  );
  return rows[0];
}

export async function listProjects(
  db: Queryable,
  orgId: string,
  keyset: Keyset,
  filter: { status?: string | undefined; archived: 'exclude' | 'include' | 'only' },
): Promise<ProjectRow[]> {
  const params: unknown[] = [orgId, filter.status ?? null];
  const archived =
    filter.archived === 'exclude'
      ? 'archived_at IS NULL'
      : filter.archived === 'only'
        ? 'archived_at IS NOT NULL'
        : 'TRUE';
  const { rows } = await db.query<ProjectRow>(
    `SELECT ${COLUMNS}, ${keyset.select()} FROM projects
     WHERE org_id = $1 AND deleted_at IS NULL AND ($2::text IS NULL OR status = $2::text)
       AND ${archived} AND ${keyset.where(params)}
     ORDER BY ${keyset.orderBy()} ${keyset.limitClause(params)}`,
    params,
  );
  return rows;
}

const SETTABLE = new Set([
  'name',
  'description',
  'status',
  'start_date',
  'due_date',
  'budget_hours',
  'budget_amount',
  'budget_currency',
  'client_name',
  'archived_at',
  'deleted_at',
]);

/** Sets `values` and bumps the version; `values` keys are column names. */
export async function updateProject(
  db: Queryable,
  orgId: string,
  id: string,
  values: Record<string, unknown>,
  now: Date,
): Promise<ProjectRow> {
  const params: unknown[] = [orgId, id, now];
  const sets = Object.entries(values).map(([column, value]) => {
    if (!SETTABLE.has(column)) throw new Error(`not a settable column: ${column}`);
    params.push(value);
    return `${column} = $${params.length}`;
  });
  const { rows } = await db.query<ProjectRow>(
    `UPDATE projects SET ${[...sets, 'version = version + 1', 'updated_at = $3'].join(', ')}
     WHERE org_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
    params,
  );
  return rows[0]!;
}

/** For the locator: a project's organization by its id. */
export async function orgOfProject(
  db: Queryable,
  id: string,
): Promise<{ org_id: string; key: string } | undefined> {
  const { rows } = await db.query<{ org_id: string; key: string }>(
    'SELECT org_id, key FROM projects WHERE id = $1',
    [id],
  );
  return rows[0];
}

export async function projectByKey(
  db: Queryable,
  orgId: string,
  key: string,
): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    'SELECT id FROM projects WHERE org_id = $1 AND key = $2',
    [orgId, key],
  );
  return rows[0]?.id;
}

export interface StatusRow {
  id: string;
  name: string;
  category: 'backlog' | 'unstarted' | 'started' | 'completed' | 'cancelled';
  position: number;
}

export async function listStatuses(
  db: Queryable,
  orgId: string,
  projectId: string,
  options: { lock?: boolean } = {},
): Promise<StatusRow[]> {
  const { rows } = await db.query<StatusRow>(
    `SELECT id, name, category, position FROM project_statuses
     WHERE org_id = $1 AND project_id = $2 ORDER BY position, created_at, id${options.lock ? ' FOR UPDATE' : ''}`,
    [orgId, projectId],
  );
  return rows;
}

export async function insertStatus(
  db: Queryable,
  s: { orgId: string; projectId: string; name: string; category: string; now: Date },
): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO project_statuses (org_id, project_id, name, category, position, created_at)
     VALUES ($1, $2, $3, $4, 1000000, $5)
     ON CONFLICT (org_id, project_id, lower(name)) DO NOTHING RETURNING id`,
    [s.orgId, s.projectId, s.name, s.category, s.now],
  );
  return rows[0]?.id;
}

/** Renames / recategorises one status; false when the name is taken by another. */
export async function updateStatus(
  db: Queryable,
  orgId: string,
  id: string,
  values: { name?: string | undefined; category?: string | undefined },
): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE project_statuses SET name = COALESCE($3, name), category = COALESCE($4, category)
     WHERE org_id = $1 AND id = $2
       AND NOT EXISTS (SELECT 1 FROM project_statuses o WHERE o.org_id = $1 AND o.id <> $2
         AND o.project_id = project_statuses.project_id AND lower(o.name) = lower($3))
     RETURNING id`,
    [orgId, id, values.name ?? null, values.category ?? null],
  );
  return rows.length > 0;
}

/** Writes the order of a workflow in one statement: `ids[i]` gets position i. */
export async function reorderStatuses(
  db: Queryable,
  orgId: string,
  ids: readonly string[],
): Promise<void> {
  await db.query(
    `UPDATE project_statuses s SET position = o.ord - 1
     FROM unnest($2::uuid[]) WITH ORDINALITY AS o(id, ord)
     WHERE s.org_id = $1 AND s.id = o.id AND s.position <> o.ord - 1`,
    [orgId, ids],
  );
}

export async function deleteStatus(db: Queryable, orgId: string, id: string): Promise<void> {
  await db.query('DELETE FROM project_statuses WHERE org_id = $1 AND id = $2', [orgId, id]);
}

/** How many tasks, deleted ones included, use a status (the foreign key counts them all). */
export async function tasksInStatus(
  db: Queryable,
  orgId: string,
  statusId: string,
): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM tasks WHERE org_id = $1 AND status_id = $2',
    [orgId, statusId],
  );
  return rows[0]!.n;
}

/** Moves every task of a status to another, set-wise, as one change of each task. */
export async function moveTasks(
  db: Queryable,
  orgId: string,
  from: string,
  to: { id: string; completed: boolean },
  now: Date,
): Promise<number> {
  const result = await db.query(
    `UPDATE tasks SET status_id = $3, version = version + 1, updated_at = $4,
       completed_at = CASE WHEN $5::boolean THEN COALESCE(completed_at, $4) ELSE NULL END
     WHERE org_id = $1 AND status_id = $2`,
    [orgId, from, to.id, now, to.completed],
  );
  return result.rowCount;
}
