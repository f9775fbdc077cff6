import type { Queryable } from '../../db/types.js';

/**
 * One finished time entry as a report reads it: its own columns, its times already in the
 * report's zone; people, projects and tasks by id (names are looked up once per report).
 */
export interface EntryRow {
  id: string;
  /** When it started in the zone: `2026-11-24 09:00 2026-48 2` (day, time, ISO week, ISO weekday). */
  local_start: string;
  /** When it ended in the zone: `10:30`. */
  end_time: string;
  duration_seconds: number;
  user_id: string;
  /** The task's project, else the entry's own. */
  project_id: string | null;
  task_id: string | null;
  note: string;
  /** Comma-separated (a tag holds no comma). */
  tags: string;
  billable: boolean;
  rate: string | null;
  currency: string | null;
  amount: string | null;
}

export interface EntryFilter {
  orgId: string;
  from: string;
  to: string;
  timezone: string;
  /** null: everyone's entries. */
  userIds: string[] | null;
  projectIds: string[] | null;
  billable: boolean | null;
  tags: string[] | null;
}

/**
 * One page of the finished, non-deleted entries that started from the first day's midnight to
 * the last day's end in the zone, oldest first, keyset on (started_at, id) after the entry `after`
 * (its exact start is read in the query: a JS Date would lose the microseconds). Each page is its
 * own short query: an export of any length holds no cursor or transaction open.
 */
export async function listEntries(
  db: Queryable,
  filter: EntryFilter,
  after: string | null,
  limit: number,
): Promise<EntryRow[]> {
  const { rows } = await db.query<EntryRow>(
    `SELECT e.id,
            to_char(e.started_at AT TIME ZONE $4, 'YYYY-MM-DD HH24:MI IYYY-IW ID') AS local_start,
            to_char(e.ended_at AT TIME ZONE $4, 'HH24:MI') AS end_time,
            e.duration_seconds, e.user_id, COALESCE(t.project_id, e.project_id) AS project_id,
            e.task_id, e.note, array_to_string(e.tags, ',') AS tags, e.billable,
            e.rate::text AS rate, e.currency, e.amount::text AS amount
       FROM time_entries e
       LEFT JOIN tasks t ON t.org_id = e.org_id AND t.id = e.task_id
      WHERE e.org_id = $1 AND e.deleted_at IS NULL AND e.ended_at IS NOT NULL
        AND e.started_at >= ($2::date::timestamp AT TIME ZONE $4)
        AND e.started_at < (($3::date + 1)::timestamp AT TIME ZONE $4)
        AND ($5::uuid[] IS NULL OR e.user_id = ANY($5::uuid[]))
        AND ($6::uuid[] IS NULL OR COALESCE(t.project_id, e.project_id) = ANY($6::uuid[]))
        AND ($7::boolean IS NULL OR e.billable = $7::boolean)
        AND ($8::text[] IS NULL OR e.tags && $8::text[])
        AND ($9::uuid IS NULL OR (e.started_at, e.id) >
             (SELECT a.started_at, a.id FROM time_entries a WHERE a.org_id = $1 AND a.id = $9::uuid))
      ORDER BY e.started_at, e.id
      LIMIT $10`,
    [
      filter.orgId,
      filter.from,
      filter.to,
      filter.timezone,
      filter.userIds,
      filter.projectIds,
      filter.billable,
      filter.tags,
      after,
      limit,
    ],
  );
  return rows;
}

export interface PersonRow {
  id: string;
  name: string;
}

export interface ProjectRow {
  id: string;
  key: string;
  name: string;
  client_name: string | null;
}

export interface TaskRow {
  id: string;
  key: string;
  title: string;
  labels: string[];
}

/** The people whose entries a report holds (ids read from the organization's entries). */
export async function people(db: Queryable, ids: string[]): Promise<PersonRow[]> {
  const { rows } = await db.query<PersonRow>(
    'SELECT id, name FROM users WHERE id = ANY($1::uuid[])',
    [ids],
  );
  return rows;
}

export async function projects(db: Queryable, orgId: string, ids: string[]) {
  const { rows } = await db.query<ProjectRow>(
    `SELECT id, key, name, client_name FROM projects WHERE org_id = $1 AND id = ANY($2::uuid[])`,
    [orgId, ids],
  );
  return rows;
}

export async function tasks(db: Queryable, orgId: string, ids: string[]) {
  const { rows } = await db.query<TaskRow>(
    `SELECT t.id, p.key || '-' || t.number AS key, t.title, t.labels
       FROM tasks t JOIN projects p ON p.org_id = t.org_id AND p.id = t.project_id
      WHERE t.org_id = $1 AND t.id = ANY($2::uuid[])`,
    [orgId, ids],
  );
  return rows;
}

/** Throws PostgreSQL's 22023 when the database does not know the zone. */
export async function checkTimeZone(db: Queryable, zone: string): Promise<void> {
  await db.query('SELECT now() AT TIME ZONE $1', [zone]);
}

export async function profileTimeZone(db: Queryable, userId: string): Promise<string> {
  const { rows } = await db.query<{ timezone: string }>(
    'SELECT timezone FROM users WHERE id = $1',
    [userId],
  );
  return rows[0]?.timezone ?? 'UTC';
}

export async function viewersSeeReports(db: Queryable, orgId: string): Promise<boolean> {
  const { rows } = await db.query<{ viewers_see_reports: boolean }>(
    'SELECT viewers_see_reports FROM time_settings WHERE org_id = $1',
    [orgId],
  );
  return rows[0]?.viewers_see_reports ?? false;
}

/** The organization's projects named by id or key, deleted ones included (their time stays). */
export async function findProjects(db: Queryable, orgId: string, refs: string[]) {
  const ids = refs.filter((ref) => ref.includes('-')).map((ref) => ref.toLowerCase());
  const keys = refs.filter((ref) => !ref.includes('-'));
  const { rows } = await db.query<{ id: string; key: string }>(
    `SELECT id, key FROM projects
      WHERE org_id = $1 AND (id = ANY($2::uuid[]) OR key = ANY($3::text[]))`,
    [orgId, ids, keys],
  );
  return rows;
}

/** Names of the people a filter names: members, or people whose time the organization holds. */
export async function userNames(
  db: Queryable,
  orgId: string,
  ids: string[],
): Promise<Map<string, string>> {
  const { rows } = await db.query<{ id: string; name: string }>(
    `SELECT u.id, u.name FROM users u
      WHERE u.id = ANY($2::uuid[])
        AND (EXISTS (SELECT 1 FROM org_members m WHERE m.org_id = $1 AND m.user_id = u.id)
          OR EXISTS (SELECT 1 FROM time_entries e WHERE e.org_id = $1 AND e.user_id = u.id))`,
    [orgId, ids],
  );
  return new Map(rows.map((row) => [row.id, row.name]));
}
