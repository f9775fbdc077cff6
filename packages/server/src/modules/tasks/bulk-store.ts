import type { Queryable } from '../../db/types.js';
import type { Actor, RequestMeta } from '../../lib/events.js';

export interface BulkTarget {
  ref: string;
  id: string | null;
  key: string | null;
  project_id: string | null;
  deleted: boolean;
  archived: boolean;
}

/** A task as a bulk request names it: by id, or by key split into its parts (all null: no task). */
export interface TaskRef {
  ref: string;
  id: string | null;
  projectKey: string | null;
  number: number | null;
}

/**
 * The tasks named by ids or keys, in the order sent, locked for the change; refs that name no task
 * of the organization come back with a null id. One query for all of them.
 */
export async function lockTargets(
  db: Queryable,
  orgId: string,
  refs: readonly TaskRef[],
): Promise<BulkTarget[]> {
  const { rows } = await db.query<BulkTarget>(
    `SELECT r.ref, t.id, t.key, t.project_id, COALESCE(t.deleted, false) AS deleted,
       COALESCE(t.archived, false) AS archived
     FROM unnest($2::text[], $3::uuid[], $4::text[], $5::int[])
       WITH ORDINALITY AS r(ref, id, project_key, number, n)
     LEFT JOIN LATERAL (
       SELECT t.id, p.key || '-' || t.number AS key, t.project_id,
         (t.deleted_at IS NOT NULL OR p.deleted_at IS NOT NULL) AS deleted,
         p.archived_at IS NOT NULL AS archived
       FROM tasks t JOIN projects p ON p.org_id = t.org_id AND p.id = t.project_id
       WHERE t.org_id = $1 AND t.id = COALESCE(r.id, (
         SELECT k.id FROM projects kp
         JOIN tasks k ON k.org_id = kp.org_id AND k.project_id = kp.id AND k.number = r.number
         WHERE kp.org_id = $1 AND kp.key = r.project_key))
       FOR UPDATE OF t
     ) t ON true
     ORDER BY r.n`,
    [
      orgId,
      refs.map((r) => r.ref),
      refs.map((r) => r.id),
      refs.map((r) => r.projectKey),
      refs.map((r) => r.number),
    ],
  );
  return rows;
}

/**
 * The status named in each task's project (its id; its name, any case; or a category, meaning the
 * workflow's first status in it): task id → status.
 */
export async function statusesFor(
  db: Queryable,
  orgId: string,
  ids: readonly string[],
  status: string,
): Promise<Map<string, { id: string; name: string; completed: boolean }>> {
  const { rows } = await db.query<{
    task_id: string;
    id: string;
    name: string;
    completed: boolean;
  }>(
    `SELECT DISTINCT ON (t.id) t.id AS task_id, s.id, s.name, s.category = 'completed' AS completed
     FROM tasks t JOIN project_statuses s ON s.org_id = t.org_id AND s.project_id = t.project_id
     WHERE t.org_id = $1 AND t.id = ANY($2::uuid[])
       AND (s.id::text = lower($3) OR lower(s.name) = lower($3) OR s.category = lower($3))
     ORDER BY t.id, lower(s.name) = lower($3) DESC, s.position`,
    [orgId, ids, status],
  );
  return new Map(rows.map((row) => [row.task_id, row]));
}

/** Moves each task to its status (`statusIds` parallel to `ids`), setting completion. */
export async function setStatuses(
  db: Queryable,
  orgId: string,
  ids: readonly string[],
  statusIds: readonly string[],
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE tasks t SET status_id = c.status_id, version = t.version + 1, updated_at = $4,
       completed_at = CASE
         WHEN s.category <> 'completed' THEN NULL
         WHEN t.completed_at IS NULL OR old.category <> 'completed' THEN $4
         ELSE t.completed_at END
     FROM unnest($2::uuid[], $3::uuid[]) AS c(id, status_id)
     JOIN project_statuses s ON s.org_id = $1 AND s.id = c.status_id,
       project_statuses old
     WHERE t.org_id = $1 AND t.id = c.id AND old.org_id = $1 AND old.id = t.status_id`,
    [orgId, ids, statusIds, now],
  );
}

/** Sets columns that take one value for every task: priority, deletion. */
export async function setAll(
  db: Queryable,
  orgId: string,
  ids: readonly string[],
  column: 'priority' | 'deleted_at',
  value: number | Date,
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE tasks SET ${column} = $3, version = version + 1, updated_at = $4
     WHERE org_id = $1 AND id = ANY($2::uuid[])`,
    [orgId, ids, value, now],
  );
}

/** Adds and removes labels, keeping each task's labels distinct and sorted. */
export async function changeLabels(
  db: Queryable,
  orgId: string,
  ids: readonly string[],
  add: readonly string[],
  remove: readonly string[],
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE tasks t SET version = t.version + 1, updated_at = $5,
       labels = ARRAY(SELECT DISTINCT l FROM unnest(t.labels || $3::text[]) AS l
                      WHERE NOT l = ANY($4::text[]) ORDER BY l)
     WHERE t.org_id = $1 AND t.id = ANY($2::uuid[])`,
    [orgId, ids, add, remove, now],
  );
}

/** Adds and removes assignees (members, checked by the caller) of every task. */
export async function changeAssignees(
  db: Queryable,
  orgId: string,
  ids: readonly string[],
  add: readonly string[],
  remove: readonly string[],
  now: Date,
): Promise<void> {
  await db.query(
    `DELETE FROM task_assignees WHERE org_id = $1 AND task_id = ANY($2::uuid[])
       AND user_id = ANY($3::uuid[])`,
    [orgId, ids, remove],
  );
  await db.query(
    `INSERT INTO task_assignees (org_id, task_id, user_id, created_at)
     SELECT $1, t, u, $4 FROM unnest($2::uuid[]) AS t, unnest($3::uuid[]) AS u
     ON CONFLICT DO NOTHING`,
    [orgId, ids, add, now],
  );
  await db.query(
    `UPDATE tasks SET version = version + 1, updated_at = $3
     WHERE org_id = $1 AND id = ANY($2::uuid[])`,
    [orgId, ids, now],
  );
}

/**
 * Puts each task on the milestone when it is a live milestone of the task's project (or takes
 * them off any, for null); returns the ids changed.
 */
export async function setMilestone(
  db: Queryable,
  orgId: string,
  ids: readonly string[],
  milestoneId: string | null,
  now: Date,
): Promise<Set<string>> {
  const { rows } = await db.query<{ id: string }>(
    milestoneId === null
      ? `UPDATE tasks SET milestone_id = NULL, version = version + 1, updated_at = $4
         WHERE org_id = $1 AND id = ANY($2::uuid[]) AND $3::uuid IS NULL RETURNING id`
      : `UPDATE tasks t SET milestone_id = m.id, version = t.version + 1, updated_at = $4
         FROM milestones m
         WHERE t.org_id = $1 AND t.id = ANY($2::uuid[]) AND m.org_id = $1 AND m.id = $3
           AND m.project_id = t.project_id AND m.deleted_at IS NULL
         RETURNING t.id`,
    [orgId, ids, milestoneId, now],
  );
  return new Set(rows.map((row) => row.id));
}

/** One event per changed task, in one statement. */
export async function recordEvents(
  db: Queryable,
  orgId: string,
  events: { taskId: string; changes: Record<string, unknown> }[],
  action: string,
  actor: Actor,
  meta: RequestMeta,
): Promise<void> {
  if (events.length === 0) return;
  await db.query(
    `INSERT INTO events (org_id, actor_kind, actor_id, entity, entity_id, action, changes, ip, request_id)
     SELECT $1, $2, $3, 'task', e.id, $4, e.changes, $5, $6
     FROM unnest($7::text[], $8::jsonb[]) AS e(id, changes)`,
    [
      orgId,
      actor.kind,
      actor.id,
      action,
      meta.ip,
      meta.requestId,
      events.map((e) => e.taskId),
      events.map((e) => JSON.stringify(e.changes)),
    ],
  );
}

/**
 * The tasks moving with `ids`: those without a parent, each followed by its subtree (deleted
 * subtasks too, so a restored one finds its parent in its project), locked. Tasks of `ids` that
 * have a parent are only here when an ancestor is. Ordered by the root's place in `ids`, then
 * level and position: the order the moved tasks take their new numbers in.
 */
export async function movingTrees(
  db: Queryable,
  orgId: string,
  ids: readonly string[],
): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `WITH RECURSIVE tree(id, root, level) AS (
       SELECT t.id, t.id, 0 FROM tasks t
       WHERE t.org_id = $1 AND t.id = ANY($2::uuid[]) AND t.parent_id IS NULL
       UNION ALL
       SELECT c.id, tree.root, tree.level + 1
       FROM tree JOIN tasks c ON c.org_id = $1 AND c.parent_id = tree.id
     )
     SELECT t.id FROM tree JOIN tasks t ON t.org_id = $1 AND t.id = tree.id
     ORDER BY array_position($2::uuid[], tree.root), tree.level, t.position, t.number
     FOR UPDATE OF t`,
    [orgId, ids],
  );
  return rows.map((row) => row.id);
}

export interface MovedTask {
  id: string;
  old_key: string;
  key: string;
  old_project_id: string;
  old_status: string;
  status: string;
  old_milestone_id: string | null;
}

/**
 * Moves the tasks (`ids`, in numbering order, with their new `positions`) to the project, in one
 * statement: numbers from the project's sequence (its row is locked by the caller), the
 * workflow's first status of each task's category (or the first status), no milestone, the values
 * of fields the project also has (same name and type, a value that fits) over its defaults.
 */
export async function moveTo(
  db: Queryable,
  orgId: string,
  projectId: string,
  ids: readonly string[],
  positions: readonly string[],
  now: Date,
): Promise<MovedTask[]> {
  const { rows } = await db.query<MovedTask>(
    `WITH seq AS (
       UPDATE projects SET task_seq = task_seq + cardinality($3::uuid[])
       WHERE org_id = $1 AND id = $2 RETURNING key, task_seq
     ), moving AS (
       SELECT m.id, m.position, seq.task_seq - cardinality($3::uuid[]) + m.n AS number,
         seq.key AS project_key, op.key || '-' || ot.number AS old_key,
         ot.project_id AS old_project_id, ot.milestone_id AS old_milestone_id,
         os.name AS old_status, os.category AS old_category,
         ns.id AS status_id, ns.name AS status, ns.category,
         COALESCE((SELECT jsonb_object_agg(d.id, d.default_value) FROM project_fields d
                   WHERE d.org_id = $1 AND d.project_id = $2 AND d.default_value IS NOT NULL),
                  '{}'::jsonb)
         || COALESCE((SELECT jsonb_object_agg(tf.id, v.value)
                      FROM jsonb_each(ot.fields) AS v
                      JOIN project_fields sf ON sf.org_id = $1 AND sf.project_id = ot.project_id
                        AND sf.id::text = v.key
                      JOIN project_fields tf ON tf.org_id = $1 AND tf.project_id = $2
                        AND lower(tf.name) = lower(sf.name) AND tf.type = sf.type
                      WHERE CASE tf.type
                        WHEN 'select' THEN v.value #>> '{}' = ANY(tf.options)
                        WHEN 'multi_select' THEN
                          ARRAY(SELECT jsonb_array_elements_text(v.value)) <@ tf.options
                        ELSE true END),
                     '{}'::jsonb) AS fields
       FROM unnest($3::uuid[], $4::text[]) WITH ORDINALITY AS m(id, position, n)
       CROSS JOIN seq
       JOIN tasks ot ON ot.org_id = $1 AND ot.id = m.id
       JOIN projects op ON op.org_id = $1 AND op.id = ot.project_id
       JOIN project_statuses os ON os.org_id = $1 AND os.id = ot.status_id
       JOIN LATERAL (
         SELECT s.id, s.name, s.category FROM project_statuses s
         WHERE s.org_id = $1 AND s.project_id = $2
         ORDER BY s.category = os.category DESC, s.position LIMIT 1
       ) ns ON true
     )
     UPDATE tasks t SET project_id = $2, number = mv.number, position = mv.position,
       status_id = mv.status_id, milestone_id = NULL, fields = mv.fields,
       version = t.version + 1, updated_at = $5,
       completed_at = CASE
         WHEN mv.category <> 'completed' THEN NULL
         WHEN mv.old_category = 'completed' THEN t.completed_at
         ELSE $5 END
     FROM moving mv
     WHERE t.org_id = $1 AND t.id = mv.id
     RETURNING t.id, mv.old_key, mv.project_key || '-' || mv.number AS key, mv.old_project_id,
       mv.old_status, mv.status, mv.old_milestone_id`,
    [orgId, projectId, ids, positions, now],
  );
  return rows;
}
