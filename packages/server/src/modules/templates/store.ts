import type { Queryable } from '../../db/types.js';
import type { Keyset } from '../../lib/keyset.js';

/** What a template holds: ids are the source project's, used only as references inside it. */
export interface Snapshot {
  /** The source project's due date, in days after its start (null: none). */
  dueOffset: number | null;
  statuses: { name: string; category: string }[];
  fields: {
    ref: string;
    name: string;
    type: string;
    options: string[];
    required: boolean;
    default: unknown;
  }[];
  milestones: { ref: string; name: string; description: string; dueOffset: number | null }[];
  tasks: {
    ref: string;
    parentRef: string | null;
    milestoneRef: string | null;
    title: string;
    description: string;
    status: string;
    priority: number;
    labels: string[];
    estimateMinutes: number | null;
    startOffset: number | null;
    dueOffset: number | null;
    position: string;
    fields: Record<string, unknown>;
  }[];
  dependencies: { blocker: string; blocked: string }[];
}

export interface TemplateRow {
  id: string;
  name: string;
  description: string;
  source_project_id: string | null;
  created_by: string | null;
  created_at: Date;
  statuses: number;
  fields: number;
  milestones: number;
  tasks: number;
  dependencies: number;
}

const COLUMNS = `id, name, description, source_project_id, created_by, created_at,
  jsonb_array_length(snapshot->'statuses') AS statuses,
  jsonb_array_length(snapshot->'fields') AS fields,
  jsonb_array_length(snapshot->'milestones') AS milestones,
  jsonb_array_length(snapshot->'tasks') AS tasks,
  jsonb_array_length(snapshot->'dependencies') AS dependencies`;

/**
 * Reads a project as a template snapshot: dates as days after `start`, the live task tree (a
 * task under a deleted parent becomes top-level), dependencies between the copied tasks.
 */
export async function readSnapshot(
  db: Queryable,
  orgId: string,
  projectId: string,
  start: string,
): Promise<Omit<Snapshot, 'dueOffset'>> {
  const statuses = await db.query<Snapshot['statuses'][number]>(
    `SELECT name, category FROM project_statuses WHERE org_id = $1 AND project_id = $2
     ORDER BY position, created_at, id`,
    [orgId, projectId],
  );
  const fields = await db.query<Snapshot['fields'][number]>(
    `SELECT id AS ref, name, type, options, required, default_value AS default
     FROM project_fields WHERE org_id = $1 AND project_id = $2 ORDER BY position, created_at, id`,
    [orgId, projectId],
  );
  const milestones = await db.query<Snapshot['milestones'][number]>(
    `SELECT id AS ref, name, description, (due_date - $3::date) AS "dueOffset"
     FROM milestones WHERE org_id = $1 AND project_id = $2 AND deleted_at IS NULL
     ORDER BY created_at, id`,
    [orgId, projectId, start],
  );
  // Parents first (by depth), then in key order: numbers of the copy follow this order.
  const tasks = await db.query<Snapshot['tasks'][number]>(
    `SELECT t.id AS ref,
       CASE WHEN pt.deleted_at IS NULL THEN t.parent_id END AS "parentRef",
       CASE WHEN m.deleted_at IS NULL THEN t.milestone_id END AS "milestoneRef",
       t.title, t.description, s.name AS status, t.priority, t.labels,
       t.estimate_minutes AS "estimateMinutes", (t.start_date - $3::date) AS "startOffset",
       (t.due_date - $3::date) AS "dueOffset", t.position, t.fields
     FROM tasks t
     JOIN project_statuses s ON s.org_id = t.org_id AND s.id = t.status_id
     LEFT JOIN tasks pt ON pt.org_id = t.org_id AND pt.id = t.parent_id
     LEFT JOIN milestones m ON m.org_id = t.org_id AND m.id = t.milestone_id
     WHERE t.org_id = $1 AND t.project_id = $2 AND t.deleted_at IS NULL
     ORDER BY t.number`,
    [orgId, projectId, start],
  );
  const dependencies = await db.query<Snapshot['dependencies'][number]>(
    `SELECT d.blocker_id AS blocker, d.blocked_id AS blocked FROM task_dependencies d
     JOIN tasks a ON a.org_id = d.org_id AND a.id = d.blocker_id
     JOIN tasks b ON b.org_id = d.org_id AND b.id = d.blocked_id
     WHERE d.org_id = $1 AND a.project_id = $2 AND b.project_id = $2
       AND a.deleted_at IS NULL AND b.deleted_at IS NULL
     ORDER BY d.created_at, d.blocker_id, d.blocked_id`,
    [orgId, projectId],
  );
  return {
    statuses: statuses.rows,
    fields: fields.rows,
    milestones: milestones.rows,
    tasks: tasks.rows,
    dependencies: dependencies.rows,
  };
}

export async function insertTemplate(
  db: Queryable,
  t: {
    orgId: string;
    name: string;
    description: string;
    sourceProjectId: string;
    snapshot: Snapshot;
    createdBy: string;
    now: Date;
  },
): Promise<TemplateRow> {
  const { rows } = await db.query<TemplateRow>(
    `INSERT INTO project_templates (org_id, name, description, source_project_id, snapshot,
       created_by, created_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7) RETURNING ${COLUMNS}`,
    [
      t.orgId,
      t.name,
      t.description,
      t.sourceProjectId,
      JSON.stringify(t.snapshot),
      t.createdBy,
      t.now,
    ],
  );
  return rows[0]!;
}

export async function listTemplates(
  db: Queryable,
  orgId: string,
  keyset: Keyset,
): Promise<TemplateRow[]> {
  const params: unknown[] = [orgId];
  const { rows } = await db.query<TemplateRow>(
    `SELECT ${COLUMNS}, ${keyset.select()} FROM project_templates
     WHERE org_id = $1 AND deleted_at IS NULL AND ${keyset.where(params)}
     ORDER BY ${keyset.orderBy()} ${keyset.limitClause(params)}`,
    params,
  );
  return rows;
}

export async function findTemplate(
  db: Queryable,
  orgId: string,
  id: string,
): Promise<(TemplateRow & { snapshot: Snapshot }) | undefined> {
  const { rows } = await db.query<TemplateRow & { snapshot: Snapshot }>(
    `SELECT ${COLUMNS}, snapshot FROM project_templates
     WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL`,
    [orgId, id],
  );
  return rows[0];
}

export async function deleteTemplate(
  db: Queryable,
  orgId: string,
  id: string,
  now: Date,
): Promise<boolean> {
  const result = await db.query(
    `UPDATE project_templates SET deleted_at = $3 WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL`,
    [orgId, id, now],
  );
  return result.rowCount > 0;
}

/** What a new project gets from a template: rows with their new ids and dates, in order. */
export interface Seed {
  statuses: { id: string; name: string; category: string; position: number }[];
  fields: {
    id: string;
    name: string;
    type: string;
    options: string[];
    required: boolean;
    default_value: unknown;
    position: number;
  }[];
  /** `ord` keeps their order: creation times one microsecond apart. */
  milestones: {
    id: string;
    name: string;
    description: string;
    due_date: string | null;
    ord: number;
  }[];
  tasks: {
    id: string;
    number: number;
    title: string;
    description: string;
    status_id: string;
    priority: number;
    labels: string[];
    estimate_minutes: number | null;
    start_date: string | null;
    due_date: string | null;
    milestone_id: string | null;
    parent_id: string | null;
    depth: number;
    position: string;
    fields: Record<string, unknown>;
    completed: boolean;
  }[];
  dependencies: { blocker_id: string; blocked_id: string }[];
}

/** Writes a template's contents into a new project: one set-wise statement per table. */
export async function seedProject(
  db: Queryable,
  orgId: string,
  projectId: string,
  seed: Seed,
  createdBy: string,
  now: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO project_statuses (org_id, id, project_id, name, category, position, created_at)
     SELECT $1, r.id, $2, r.name, r.category, r.position, $4
     FROM jsonb_to_recordset($3::jsonb) AS r(id uuid, name text, category text, position int)`,
    [orgId, projectId, JSON.stringify(seed.statuses), now],
  );
  if (seed.fields.length > 0) {
    await db.query(
      `INSERT INTO project_fields (org_id, id, project_id, name, type, options, required,
         default_value, position, created_at, updated_at)
       SELECT $1, r.id, $2, r.name, r.type, r.options, r.required, r.default_value, r.position, $4, $4
       FROM jsonb_to_recordset($3::jsonb) AS r(id uuid, name text, type text, options text[],
         required boolean, default_value jsonb, position int)`,
      [orgId, projectId, JSON.stringify(seed.fields), now],
    );
  }
  if (seed.milestones.length > 0) {
    await db.query(
      `INSERT INTO milestones (org_id, id, project_id, name, description, due_date, created_at,
         updated_at)
       SELECT $1, r.id, $2, r.name, r.description, r.due_date,
         $4::timestamptz + r.ord * interval '1 microsecond', $4
       FROM jsonb_to_recordset($3::jsonb) AS r(id uuid, name text, description text,
         due_date date, ord int)`,
      [orgId, projectId, JSON.stringify(seed.milestones), now],
    );
  }
  if (seed.tasks.length > 0) {
    // Numbers 1..n come from the project's sequence, moved past them in the same statement.
    await db.query(
      `WITH seq AS (
         UPDATE projects SET task_seq = task_seq + $5 WHERE org_id = $1 AND id = $2
         RETURNING task_seq - $5 AS base
       )
       INSERT INTO tasks (org_id, id, project_id, number, title, description, status_id, priority,
         labels, estimate_minutes, start_date, due_date, milestone_id, parent_id, depth, position,
         fields, created_by, created_at, updated_at, completed_at)
       SELECT $1, r.id, $2, seq.base + r.number, r.title, r.description, r.status_id, r.priority,
         r.labels, r.estimate_minutes, r.start_date, r.due_date, r.milestone_id, r.parent_id,
         r.depth, r.position, r.fields, $6, $4, $4, CASE WHEN r.completed THEN $4::timestamptz END
       FROM seq, jsonb_to_recordset($3::jsonb) AS r(id uuid, number int, title text,
         description text, status_id uuid, priority smallint, labels text[], estimate_minutes int,
         start_date date, due_date date, milestone_id uuid, parent_id uuid, depth smallint,
         position text, fields jsonb, completed boolean)`,
      [orgId, projectId, JSON.stringify(seed.tasks), now, seed.tasks.length, createdBy],
    );
  }
  if (seed.dependencies.length > 0) {
    await db.query(
      `INSERT INTO task_dependencies (org_id, blocker_id, blocked_id, created_by, created_at)
       SELECT $1, r.blocker_id, r.blocked_id, $4, $3
       FROM jsonb_to_recordset($2::jsonb) AS r(blocker_id uuid, blocked_id uuid)`,
      [orgId, JSON.stringify(seed.dependencies), now, createdBy],
    );
  }
}
