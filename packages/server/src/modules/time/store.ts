import type { Queryable } from '../../db/types.js';
import type { Keyset } from '../../lib/keyset.js';

/** A time entry, or a running timer (no `ended_at`), with the names the API shows beside it. */
export interface EntryRow {
  org_id: string;
  id: string;
  user_id: string;
  user_name: string;
  project_id: string | null;
  project_key: string | null;
  project_name: string | null;
  task_id: string | null;
  task_key: string | null;
  task_title: string | null;
  note: string;
  tags: string[];
  billable: boolean;
  started_at: Date;
  ended_at: Date | null;
  segments: { start: string; end: string }[];
  running_since: Date | null;
  duration_seconds: number;
  rate: string | null;
  currency: string | null;
  rate_source: 'entry' | 'member' | 'project' | 'org' | null;
  amount: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  long_timer_minutes: number;
}

/** The entry columns the API shows, read from `source` (the table, or a CTE's RETURNING *). */
export const selectFrom = (source: string) => `
  SELECT e.org_id, e.id, e.user_id, u.name AS user_name,
         e.project_id, p.key AS project_key, p.name AS project_name,
         e.task_id, tp.key || '-' || t.number AS task_key, t.title AS task_title,
         e.note, e.tags, e.billable, e.started_at, e.ended_at, e.segments, e.running_since,
         e.duration_seconds, e.rate::text AS rate, e.currency, e.rate_source, e.amount::text AS amount,
         e.version, e.created_at, e.updated_at,
         COALESCE(s.long_timer_minutes, 600) AS long_timer_minutes
    FROM ${source} e
    JOIN users u ON u.id = e.user_id
    LEFT JOIN projects p ON p.org_id = e.org_id AND p.id = e.project_id
    LEFT JOIN tasks t ON t.org_id = e.org_id AND t.id = e.task_id
    LEFT JOIN projects tp ON tp.org_id = t.org_id AND tp.id = t.project_id
    LEFT JOIN time_settings s ON s.org_id = e.org_id`;

const SELECT = selectFrom('time_entries');

/** Reads entries by id after a write, in the statement's own snapshot. */
async function selectById(db: Queryable, orgId: string, id: string): Promise<EntryRow> {
  const { rows } = await db.query<EntryRow>(`${SELECT} WHERE e.org_id = $1 AND e.id = $2`, [
    orgId,
    id,
  ]);
  return rows[0]!;
}

export async function findEntry(
  db: Queryable,
  orgId: string,
  id: string,
): Promise<EntryRow | undefined> {
  const { rows } = await db.query<EntryRow>(
    `${SELECT} WHERE e.org_id = $1 AND e.id = $2 AND e.deleted_at IS NULL`,
    [orgId, id],
  );
  return rows[0];
}

/** Locks a live entry for a change and returns what the change must check. */
export async function lockEntry(
  db: Queryable,
  orgId: string,
  id: string,
): Promise<
  | {
      user_id: string;
      started_at: Date;
      ended_at: Date | null;
      version: number;
      project_id: string | null;
      task_id: string | null;
      rate_source: EntryRow['rate_source'];
      rate: string | null;
      currency: string | null;
    }
  | undefined
> {
  const { rows } = await db.query<{
    user_id: string;
    started_at: Date;
    ended_at: Date | null;
    version: number;
    project_id: string | null;
    task_id: string | null;
    rate_source: EntryRow['rate_source'];
    rate: string | null;
    currency: string | null;
  }>(
    `SELECT user_id, started_at, ended_at, version, project_id, task_id, rate_source,
            rate::text AS rate, currency
       FROM time_entries WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL FOR UPDATE`,
    [orgId, id],
  );
  return rows[0];
}

/** The organization an entry belongs to (ids are global), deleted or not. */
export async function orgOfEntry(db: Queryable, id: string): Promise<string | undefined> {
  const { rows } = await db.query<{ org_id: string }>(
    'SELECT org_id FROM time_entries WHERE id = $1',
    [id],
  );
  return rows[0]?.org_id;
}

export interface EntryFilter {
  orgId: string;
  userId?: string | undefined;
  projectId?: string | undefined;
  taskId?: string | undefined;
  billable?: boolean | undefined;
  from?: string | undefined;
  to?: string | undefined;
  timezone: string;
}

export async function listEntries(
  db: Queryable,
  filter: EntryFilter,
  keyset: Keyset,
): Promise<EntryRow[]> {
  const params: unknown[] = [filter.orgId];
  const where = ['e.org_id = $1', 'e.deleted_at IS NULL', 'e.ended_at IS NOT NULL'];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    where.push(sql(params.length));
  };
  if (filter.userId) add((n) => `e.user_id = $${n}`, filter.userId);
  if (filter.projectId) add((n) => `e.project_id = $${n}`, filter.projectId);
  if (filter.taskId) add((n) => `e.task_id = $${n}`, filter.taskId);
  if (filter.billable !== undefined) add((n) => `e.billable = $${n}`, filter.billable);
  if (filter.from || filter.to) params.push(filter.timezone);
  const tz = params.length;
  if (filter.from)
    add((n) => `e.started_at >= ($${n}::date::timestamp AT TIME ZONE $${tz})`, filter.from);
  if (filter.to) {
    add((n) => `e.started_at < (($${n}::date + 1)::timestamp AT TIME ZONE $${tz})`, filter.to);
  }
  const { rows } = await db.query<EntryRow>(
    `${SELECT.replace('SELECT ', `SELECT ${keyset.select()}, `)}
      WHERE ${where.join(' AND ')} AND ${keyset.where(params)}
      ORDER BY ${keyset.orderBy()} ${keyset.limitClause(params)}`,
    params,
  );
  return rows;
}

/** The caller's timer in the organization, running or paused. */
export async function findTimer(
  db: Queryable,
  orgId: string,
  userId: string,
): Promise<EntryRow | undefined> {
  const { rows } = await db.query<EntryRow>(
    `${SELECT} WHERE e.user_id = $2 AND e.org_id = $1 AND e.ended_at IS NULL AND e.deleted_at IS NULL`,
    [orgId, userId],
  );
  return rows[0];
}

/** The person's timer wherever it runs, locked: `switch` stops it in any organization. */
export async function lockAnyTimer(
  db: Queryable,
  userId: string,
): Promise<{ org_id: string; id: string } | undefined> {
  const { rows } = await db.query<{ org_id: string; id: string }>(
    `SELECT org_id, id FROM time_entries
      WHERE user_id = $1 AND ended_at IS NULL AND deleted_at IS NULL FOR UPDATE`,
    [userId],
  );
  return rows[0];
}

/** What a task or project reference names in the organization, for an entry to point at. */
export interface Target {
  projectId: string;
  taskId: string | null;
  archived: boolean;
  projectKey: string;
}

export async function findTaskTarget(
  db: Queryable,
  orgId: string,
  ref: { id: string } | { projectKey: string; number: number },
): Promise<Target | undefined> {
  const byId = 'id' in ref;
  const { rows } = await db.query<{
    project_id: string;
    task_id: string;
    archived: boolean;
    key: string;
  }>(
    `SELECT t.project_id, t.id AS task_id, p.archived_at IS NOT NULL AS archived, p.key
       FROM tasks t JOIN projects p ON p.org_id = t.org_id AND p.id = t.project_id
      WHERE t.org_id = $1 AND ${byId ? 't.id = $2' : 'p.key = $2 AND t.number = $3'}
        AND t.deleted_at IS NULL AND p.deleted_at IS NULL`,
    byId ? [orgId, ref.id] : [orgId, ref.projectKey, ref.number],
  );
  const row = rows[0];
  return row
    ? {
        projectId: row.project_id,
        taskId: row.task_id,
        archived: row.archived,
        projectKey: row.key,
      }
    : undefined;
}

export async function findProjectTarget(
  db: Queryable,
  orgId: string,
  ref: { id: string } | { key: string },
): Promise<Target | undefined> {
  const byId = 'id' in ref;
  const { rows } = await db.query<{ id: string; archived: boolean; key: string }>(
    `SELECT id, archived_at IS NOT NULL AS archived, key FROM projects
      WHERE org_id = $1 AND ${byId ? 'id = $2' : 'key = $2'} AND deleted_at IS NULL`,
    [orgId, byId ? ref.id : ref.key],
  );
  const row = rows[0];
  return row
    ? { projectId: row.id, taskId: null, archived: row.archived, projectKey: row.key }
    : undefined;
}

/**
 * The hourly rate that applies to a person's work in a project: the member's there, else the
 * project's, else the organization's default.
 */
export async function resolveRate(
  db: Queryable,
  orgId: string,
  projectId: string | null,
  userId: string,
): Promise<{ rate: string; currency: string; source: 'member' | 'project' | 'org' } | undefined> {
  const { rows } = await db.query<{
    rate: string;
    currency: string;
    source: 'member' | 'project' | 'org';
  }>(
    `SELECT rate::text AS rate, currency, source FROM (
       SELECT r.rate, r.currency, CASE WHEN r.user_id IS NULL THEN 'project' ELSE 'member' END AS source,
              CASE WHEN r.user_id IS NULL THEN 2 ELSE 1 END AS rank
         FROM project_rates r
        WHERE r.org_id = $1 AND r.project_id = $2 AND (r.user_id = $3 OR r.user_id IS NULL)
       UNION ALL
       SELECT s.default_rate, s.default_currency, 'org', 3
         FROM time_settings s WHERE s.org_id = $1 AND s.default_rate IS NOT NULL
     ) candidates ORDER BY rank LIMIT 1`,
    [orgId, projectId, userId],
  );
  return rows[0];
}

export interface EntryValues {
  orgId: string;
  userId: string;
  projectId: string | null;
  taskId: string | null;
  note: string;
  tags: readonly string[];
  billable: boolean;
  startedAt: Date;
  endedAt: Date | null;
  segments: { start: string; end: string }[];
  runningSince: Date | null;
  durationSeconds: number;
  rate: { rate: string; currency: string; source: NonNullable<EntryRow['rate_source']> } | null;
  createdBy: string | null;
  now: Date;
}

// Billable time × rate, rounded to cents; none when unbillable or without a rate.
export const AMOUNT = (billable: string, rate: string, seconds: string) =>
  `CASE WHEN (${billable})::boolean AND (${rate})::numeric IS NOT NULL
        THEN round((${rate})::numeric * (${seconds})::integer / 3600.0, 2) END`;

/**
 * Inserts an entry. A running timer (`endedAt` null) may collide with the person's running one:
 * then nothing is inserted and undefined comes back.
 */
export async function insertEntry(db: Queryable, v: EntryValues): Promise<EntryRow | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO time_entries (org_id, user_id, project_id, task_id, note, tags, billable,
                               started_at, ended_at, segments, running_since, duration_seconds,
                               rate, currency, rate_source, amount, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::numeric, $14, $15,
             ${AMOUNT('$7', '$13::numeric', '$12')}, $16, $17, $17)
     ON CONFLICT (user_id) WHERE ended_at IS NULL AND deleted_at IS NULL DO NOTHING
     RETURNING id`,
    [
      v.orgId,
      v.userId,
      v.projectId,
      v.taskId,
      v.note,
      v.tags,
      v.billable,
      v.startedAt,
      v.endedAt,
      JSON.stringify(v.segments),
      v.runningSince,
      v.durationSeconds,
      v.rate?.rate ?? null,
      v.rate?.currency ?? null,
      v.rate?.source ?? null,
      v.createdBy,
      v.now,
    ],
  );
  return rows[0] ? selectById(db, v.orgId, rows[0].id) : undefined;
}

export interface EntryChange {
  projectId?: string | null;
  taskId?: string | null;
  note?: string;
  tags?: readonly string[];
  billable?: boolean;
  startedAt?: Date;
  endedAt?: Date | null;
  segments?: { start: string; end: string }[];
  runningSince?: Date | null;
  durationSeconds?: number;
  /** Undefined keeps the rate; null clears it. */
  rate?: EntryValues['rate'];
}

/** Applies a change, bumps the version and recomputes the amount, in one statement. */
export async function updateEntry(
  db: Queryable,
  orgId: string,
  id: string,
  change: EntryChange,
  now: Date,
): Promise<EntryRow> {
  const sets: string[] = [];
  const params: unknown[] = [orgId, id, now];
  const set = (column: string, value: unknown, cast = '') => {
    params.push(value);
    sets.push(`${column} = $${params.length}${cast}`);
  };
  if (change.projectId !== undefined) set('project_id', change.projectId);
  if (change.taskId !== undefined) set('task_id', change.taskId);
  if (change.note !== undefined) set('note', change.note);
  if (change.tags !== undefined) set('tags', change.tags);
  if (change.billable !== undefined) set('billable', change.billable);
  if (change.startedAt !== undefined) set('started_at', change.startedAt);
  if (change.endedAt !== undefined) set('ended_at', change.endedAt);
  if (change.segments !== undefined) set('segments', JSON.stringify(change.segments), '::jsonb');
  if (change.runningSince !== undefined) set('running_since', change.runningSince);
  if (change.durationSeconds !== undefined) set('duration_seconds', change.durationSeconds);
  if (change.rate !== undefined) {
    set('rate', change.rate?.rate ?? null, '::numeric');
    set('currency', change.rate?.currency ?? null);
    set('rate_source', change.rate?.source ?? null);
  }
  // The amount follows whatever the row holds after the change (a single UPDATE sees the old
  // values on its right-hand sides, so each input is the new value when set, else the column).
  const value = (column: string) => {
    const assigned = sets.find((s) => s.startsWith(`${column} = `));
    return assigned ? assigned.slice(column.length + 3) : column;
  };
  sets.push(
    `amount = ${AMOUNT(value('billable'), `(${value('rate')})::numeric`, value('duration_seconds'))}`,
  );
  await db.query(
    `UPDATE time_entries SET ${sets.join(', ')}, version = version + 1, updated_at = $3
      WHERE org_id = $1 AND id = $2`,
    params,
  );
  return selectById(db, orgId, id);
}

export async function softDeleteEntry(db: Queryable, orgId: string, id: string, now: Date) {
  await db.query(
    `UPDATE time_entries SET deleted_at = $3, updated_at = $3, version = version + 1
      WHERE org_id = $1 AND id = $2`,
    [orgId, id, now],
  );
}

export async function deleteTimer(db: Queryable, orgId: string, id: string) {
  await db.query('DELETE FROM time_entries WHERE org_id = $1 AND id = $2', [orgId, id]);
}

/** Another live entry of the person that overlaps [start, end) (a running one up to now). */
export async function findOverlap(
  db: Queryable,
  v: { orgId: string; userId: string; start: Date; end: Date; exceptId: string | null; now: Date },
): Promise<{ id: string; started_at: Date; ended_at: Date | null } | undefined> {
  const { rows } = await db.query<{ id: string; started_at: Date; ended_at: Date | null }>(
    `SELECT id, started_at, ended_at FROM time_entries
      WHERE org_id = $1 AND user_id = $2 AND deleted_at IS NULL AND id IS DISTINCT FROM $5
        AND started_at < $4 AND COALESCE(ended_at, GREATEST($6::timestamptz, started_at)) > $3
      ORDER BY started_at LIMIT 1`,
    [v.orgId, v.userId, v.start, v.end, v.exceptId, v.now],
  );
  return rows[0];
}

/** Serialises one person's entry writes, so two overlapping entries cannot pass the check together. */
export async function lockPersonsTime(db: Queryable, userId: string): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtextextended('time-entries:' || $1, 0))`, [
    userId,
  ]);
}

/** Where an entry logged by date and duration goes: after the day's last entry, else 09:00. */
export async function dayPlacement(
  db: Queryable,
  v: { orgId: string; userId: string; date: string; timezone: string },
): Promise<Date> {
  const { rows } = await db.query<{ start: Date }>(
    `SELECT GREATEST(
              ($3::date + time '09:00')::timestamp AT TIME ZONE $4,
              (SELECT max(ended_at) FROM time_entries
                WHERE org_id = $1 AND user_id = $2 AND deleted_at IS NULL
                  AND started_at >= ($3::date::timestamp AT TIME ZONE $4)
                  AND started_at < (($3::date + 1)::timestamp AT TIME ZONE $4))
            ) AS start`,
    [v.orgId, v.userId, v.date, v.timezone],
  );
  return rows[0]!.start;
}

export async function isMember(db: Queryable, orgId: string, userId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM org_members WHERE org_id = $1 AND user_id = $2', [
    orgId,
    userId,
  ]);
  return rows.length > 0;
}

export async function userTimezone(db: Queryable, userId: string): Promise<string> {
  const { rows } = await db.query<{ timezone: string }>(
    'SELECT timezone FROM users WHERE id = $1',
    [userId],
  );
  return rows[0]?.timezone ?? 'UTC';
}

/** Running timers past their organization's limit whose owners were not yet told; claimed. */
export async function claimLongTimers(
  db: Queryable,
  now: Date,
  limit: number,
): Promise<
  {
    id: string;
    org_id: string;
    user_id: string;
    email: string;
    started_at: Date;
    minutes: number;
  }[]
> {
  const { rows } = await db.query<{
    id: string;
    org_id: string;
    user_id: string;
    email: string;
    started_at: Date;
    minutes: number;
  }>(
    `WITH due AS (
       SELECT e.org_id, e.id, COALESCE(s.long_timer_minutes, 600) AS minutes
         FROM time_entries e LEFT JOIN time_settings s ON s.org_id = e.org_id
        WHERE e.ended_at IS NULL AND e.deleted_at IS NULL AND e.long_notified_at IS NULL
          AND e.started_at <= $1::timestamptz - make_interval(mins => COALESCE(s.long_timer_minutes, 600))
        ORDER BY e.started_at LIMIT $2 FOR UPDATE OF e SKIP LOCKED)
     UPDATE time_entries e SET long_notified_at = $1 FROM due, users u
      WHERE e.org_id = due.org_id AND e.id = due.id AND u.id = e.user_id
     RETURNING e.id, e.org_id, e.user_id, u.email, e.started_at, due.minutes`,
    [now, limit],
  );
  return rows;
}
