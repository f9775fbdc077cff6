import type { Queryable } from '../../db/types.js';
import type { Keyset } from '../../lib/keyset.js';

export interface TaskRow {
  org_id: string;
  id: string;
  project_id: string;
  project_key: string;
  project_archived_at: Date | null;
  project_deleted_at: Date | null;
  number: number;
  title: string;
  description: string;
  status_id: string;
  status_name: string;
  status_category: 'backlog' | 'unstarted' | 'started' | 'completed' | 'cancelled';
  priority: number;
  labels: string[];
  estimate_minutes: number | null;
  start_date: string | null;
  due_date: string | null;
  parent_id: string | null;
  depth: number;
  position: string;
  milestone_id: string | null;
  fields: Record<string, unknown>;
  version: number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
  deleted_at: Date | null;
  assignee_ids: string[];
}

/** A task with its status, project key and assignees: one row, assignees aggregated in place. */
const SELECT = `SELECT t.org_id, t.id, t.project_id, p.key AS project_key,
  p.archived_at AS project_archived_at, p.deleted_at AS project_deleted_at, t.number, t.title,
  t.description, t.status_id, s.name AS status_name, s.category AS status_category, t.priority,
  t.labels, t.estimate_minutes, t.start_date::text AS start_date, t.due_date::text AS due_date,
  t.parent_id, t.depth, t.position, t.milestone_id, t.fields, t.version, t.created_by, t.created_at, t.updated_at,
  t.completed_at, t.deleted_at,
  COALESCE((SELECT array_agg(a.user_id::text ORDER BY a.user_id) FROM task_assignees a
    WHERE a.org_id = t.org_id AND a.task_id = t.id), '{}'::text[]) AS assignee_ids
FROM tasks t
JOIN projects p ON p.org_id = t.org_id AND p.id = t.project_id
JOIN project_statuses s ON s.org_id = t.org_id AND s.id = t.status_id`;

export async function findTask(
  db: Queryable,
  orgId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<TaskRow | undefined> {
  const { rows } = await db.query<TaskRow>(
    `${SELECT} WHERE t.org_id = $1 AND t.id = $2${options.lock ? ' FOR UPDATE OF t' : ''}`,
    [orgId, id],
  );
  return rows[0];
}

/** The last position among a project's live tasks (new tasks go after it). */
export async function lastPosition(
  db: Queryable,
  orgId: string,
  projectId: string,
): Promise<string | null> {
  const { rows } = await db.query<{ position: string }>(
    `SELECT position FROM tasks WHERE org_id = $1 AND project_id = $2 AND deleted_at IS NULL
     ORDER BY position DESC LIMIT 1`,
    [orgId, projectId],
  );
  return rows[0]?.position ?? null;
}

export interface TaskValues {
  title: string;
  description: string;
  status_id: string;
  priority: number;
  labels: string[];
  estimate_minutes: number | null;
  start_date: string | null;
  due_date: string | null;
  parent_id: string | null;
  depth: number;
  position: string;
  completed_at: Date | null;
  milestone_id: string | null;
  fields: Record<string, unknown>;
}

/**
 * Inserts a task numbered from its project's sequence: the UPDATE takes the project row's lock,
 * so concurrent creates on any number of instances get distinct consecutive numbers.
 */
export async function insertTask(
  db: Queryable,
  t: { orgId: string; projectId: string; createdBy: string; now: Date } & TaskValues,
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `WITH seq AS (
       UPDATE projects SET task_seq = task_seq + 1 WHERE org_id = $1 AND id = $2 RETURNING task_seq
     )
     INSERT INTO tasks (org_id, project_id, number, title, description, status_id, priority,
       labels, estimate_minutes, start_date, due_date, parent_id, depth, position, created_by,
       created_at, updated_at, completed_at, milestone_id, fields)
     SELECT $1, $2, seq.task_seq, $3, $4, $5, $6, $7::text[], $8, $9, $10, $11, $12, $13, $14,
       $15, $15, $16, $17, $18::jsonb
     FROM seq RETURNING id`,
    [
      t.orgId,
      t.projectId,
      t.title,
      t.description,
      t.status_id,
      t.priority,
      t.labels,
      t.estimate_minutes,
      t.start_date,
      t.due_date,
      t.parent_id,
      t.depth,
      t.position,
      t.createdBy,
      t.now,
      t.completed_at,
      t.milestone_id,
      JSON.stringify(t.fields),
    ],
  );
  return rows[0]!.id;
}

const SETTABLE = new Set([
  'title',
  'description',
  'status_id',
  'priority',
  'labels',
  'estimate_minutes',
  'start_date',
  'due_date',
  'parent_id',
  'depth',
  'position',
  'completed_at',
  'deleted_at',
  'milestone_id',
  'fields',
]);

/** Sets `values` (column names) and bumps the version. */
export async function updateTask(
  db: Queryable,
  orgId: string,
  id: string,
  values: Partial<TaskValues> & { deleted_at?: Date | null },
  now: Date,
): Promise<void> {
  const params: unknown[] = [orgId, id, now];
  const sets = Object.entries(values).map(([column, value]) => {
    if (!SETTABLE.has(column)) throw new Error(`not a settable column: ${column}`);
    params.push(column === 'fields' ? JSON.stringify(value) : value);
    const cast = column === 'labels' ? '::text[]' : column === 'fields' ? '::jsonb' : '';
    return `${column} = $${params.length}${cast}`;
  });
  await db.query(
    `UPDATE tasks SET ${[...sets, 'version = version + 1', 'updated_at = $3'].join(', ')}
     WHERE org_id = $1 AND id = $2`,
    params,
  );
}

/** Makes `userIds` exactly the task's assignees, set-wise. */
export async function setAssignees(
  db: Queryable,
  orgId: string,
  taskId: string,
  userIds: readonly string[],
  now: Date,
): Promise<void> {
  await db.query(
    `DELETE FROM task_assignees WHERE org_id = $1 AND task_id = $2 AND NOT (user_id = ANY($3::uuid[]))`,
    [orgId, taskId, userIds],
  );
  if (userIds.length === 0) return;
  await db.query(
    `INSERT INTO task_assignees (org_id, task_id, user_id, created_at)
     SELECT $1, $2, u, $4 FROM unnest($3::uuid[]) AS u ON CONFLICT DO NOTHING`,
    [orgId, taskId, userIds, now],
  );
}

/** Ids of the task's ancestors, nearest first (for cycle checks). */
export async function ancestors(db: Queryable, orgId: string, id: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `WITH RECURSIVE up(id, parent_id, n) AS (
       SELECT id, parent_id, 0 FROM tasks WHERE org_id = $1 AND id = $2
       UNION ALL
       SELECT t.id, t.parent_id, up.n + 1 FROM tasks t JOIN up ON t.org_id = $1 AND t.id = up.parent_id
       WHERE up.n < 20
     ) SELECT id FROM up ORDER BY n`,
    [orgId, id],
  );
  return rows.map((row) => row.id);
}

/** How many levels of subtasks hang below a task (0 for a leaf). */
export async function subtreeHeight(db: Queryable, orgId: string, id: string): Promise<number> {
  const { rows } = await db.query<{ h: number }>(
    `WITH RECURSIVE down(id, n) AS (
       SELECT id, 0 FROM tasks WHERE org_id = $1 AND id = $2
       UNION ALL
       SELECT t.id, down.n + 1 FROM tasks t JOIN down ON t.org_id = $1 AND t.parent_id = down.id
       WHERE down.n < 20
     ) SELECT max(n)::int AS h FROM down`,
    [orgId, id],
  );
  return rows[0]?.h ?? 0;
}

/** Shifts the depth of every task below `id` by `delta` (after it moved in the tree). */
export async function shiftSubtreeDepth(
  db: Queryable,
  orgId: string,
  id: string,
  delta: number,
): Promise<void> {
  await db.query(
    `WITH RECURSIVE down(id, n) AS (
       SELECT id, 0 FROM tasks WHERE org_id = $1 AND parent_id = $2
       UNION ALL
       SELECT t.id, down.n + 1 FROM tasks t JOIN down ON t.org_id = $1 AND t.parent_id = down.id
       WHERE down.n < 20
     ) UPDATE tasks SET depth = depth + $3 WHERE org_id = $1 AND id IN (SELECT id FROM down)`,
    [orgId, id, delta],
  );
}

export interface TaskFilter {
  statusIds?: string[];
  statusNames?: string[];
  categories?: string[];
  assignee?: string;
  label?: string;
  priorities?: number[];
  parent?: { none: true } | { id: string } | { projectKey: string; number: number };
  dueBefore?: string;
  dueAfter?: string;
  updatedSince?: string;
  q?: string;
  milestone?: { none: true } | { id: string };
  field?: { id: string; value: string };
}

/**
 * The WHERE of a task list (aliases `t` tasks, `s` its status), after `$1` org and `$2` project
 * and `$3` the search text (null without one).
 */
function where(filter: TaskFilter, params: unknown[]): string {
  const parts = ['t.org_id = $1', 't.project_id = $2', 't.deleted_at IS NULL'];
  const add = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.statusIds || filter.statusNames) {
    parts.push(
      `(t.status_id = ANY(${add(filter.statusIds ?? [])}::uuid[]) OR lower(s.name) = ANY(${add(filter.statusNames ?? [])}::text[]))`,
    );
  }
  if (filter.categories) parts.push(`s.category = ANY(${add(filter.categories)}::text[])`);
  if (filter.assignee) {
    parts.push(
      `EXISTS (SELECT 1 FROM task_assignees a WHERE a.org_id = $1 AND a.task_id = t.id AND a.user_id = ${add(filter.assignee)}::uuid)`,
    );
  }
  if (filter.label) parts.push(`t.labels @> ARRAY[${add(filter.label)}::text]`);
  if (filter.priorities?.length === 1) {
    // Equality lets the planner walk (project, priority, number) in order for a page.
    parts.push(`t.priority = ${add(filter.priorities[0])}::smallint`);
  } else if (filter.priorities) {
    parts.push(`t.priority = ANY(${add(filter.priorities)}::smallint[])`);
  }
  const parent = filter.parent;
  if (parent && 'none' in parent) parts.push('t.parent_id IS NULL');
  else if (parent && 'id' in parent) parts.push(`t.parent_id = ${add(parent.id)}::uuid`);
  else if (parent) {
    parts.push(
      `t.parent_id = (SELECT pt.id FROM tasks pt JOIN projects pp ON pp.org_id = pt.org_id AND pp.id = pt.project_id
         WHERE pp.org_id = $1 AND pp.key = ${add(parent.projectKey)} AND pt.number = ${add(parent.number)}::int)`,
    );
  }
  if (filter.milestone && 'none' in filter.milestone) parts.push('t.milestone_id IS NULL');
  else if (filter.milestone) parts.push(`t.milestone_id = ${add(filter.milestone.id)}::uuid`);
  if (filter.field) {
    // Text, number, date, select and user values compare as text; a multi-select contains it.
    const id = add(filter.field.id);
    const value = add(filter.field.value);
    parts.push(
      `(t.fields->>${id}::text = ${value}::text OR t.fields->${id}::text ? ${value}::text)`,
    );
  }
  if (filter.dueBefore) parts.push(`t.due_date <= ${add(filter.dueBefore)}::date`);
  if (filter.dueAfter) parts.push(`t.due_date >= ${add(filter.dueAfter)}::date`);
  if (filter.updatedSince) parts.push(`t.updated_at >= ${add(filter.updatedSince)}::timestamptz`);
  // $3 is always referenced, so PostgreSQL can tell its type.
  parts.push(
    filter.q ? `t.search @@ websearch_to_tsquery('english', $3::text)` : '$3::text IS NULL',
  );
  return parts.join(' AND ');
}

/** The relevance of a task to `$3`, rounded so that cursors carry it exactly. */
export const RANK = `round(ts_rank(t.search, websearch_to_tsquery('english', $3::text))::numeric, 6)`;

/** One page of tasks: one query, assignees aggregated in it. */
export async function listTasks(
  db: Queryable,
  orgId: string,
  projectId: string,
  filter: TaskFilter,
  keyset: Keyset,
): Promise<TaskRow[]> {
  const params: unknown[] = [orgId, projectId, filter.q ?? null];
  const { rows } = await db.query<TaskRow>(
    `${SELECT.replace('SELECT ', `SELECT ${keyset.select()}, `)}
     WHERE ${where(filter, params)} AND p.deleted_at IS NULL AND ${keyset.where(params)}
     ORDER BY ${keyset.orderBy()} ${keyset.limitClause(params)}`,
    params,
  );
  return rows;
}

export interface CountRow {
  id: string;
  name: string;
  category: TaskRow['status_category'];
  count: number;
}

/** Every status of the project in order, with how many live tasks match the filter. */
export async function countTasks(
  db: Queryable,
  orgId: string,
  projectId: string,
  filter: TaskFilter,
): Promise<CountRow[]> {
  const params: unknown[] = [orgId, projectId, filter.q ?? null];
  const { rows } = await db.query<CountRow>(
    `SELECT st.id, st.name, st.category, COALESCE(c.n, 0)::int AS count
     FROM project_statuses st
     LEFT JOIN (
       SELECT t.status_id, count(*) AS n FROM tasks t
       JOIN project_statuses s ON s.org_id = t.org_id AND s.id = t.status_id
       WHERE ${where(filter, params)} GROUP BY t.status_id
     ) c ON c.status_id = st.id
     WHERE st.org_id = $1 AND st.project_id = $2
     ORDER BY st.position, st.created_at, st.id`,
    params,
  );
  return rows;
}

export async function orgOfTask(db: Queryable, id: string): Promise<string | undefined> {
  const { rows } = await db.query<{ org_id: string }>('SELECT org_id FROM tasks WHERE id = $1', [
    id,
  ]);
  return rows[0]?.org_id;
}

export async function taskByKey(
  db: Queryable,
  orgId: string,
  projectKey: string,
  number: number,
): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT t.id FROM tasks t JOIN projects p ON p.org_id = t.org_id AND p.id = t.project_id
     WHERE p.org_id = $1 AND p.key = $2 AND t.number = $3`,
    [orgId, projectKey, number],
  );
  return rows[0]?.id;
}
