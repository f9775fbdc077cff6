import type { Queryable } from '../../db/types.js';
import { isoMicros } from '../../lib/sql.js';

/** One finished time entry as a report reads it: days and times already in the report's zone. */
export interface EntryRow {
  id: string;
  /** started_at with microseconds, for the keyset. */
  cursor: string;
  day: string;
  week: string;
  week_start: string;
  month: string;
  start_time: string;
  end_time: string;
  duration_seconds: number;
  user_id: string;
  user_name: string;
  project_id: string | null;
  project_key: string | null;
  project_name: string | null;
  client_name: string | null;
  task_id: string | null;
  task_key: string | null;
  task_title: string | null;
  labels: string[] | null;
  note: string;
  tags: string[];
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

export interface EntryKeyset {
  cursor: string;
  id: string;
}

/**
 * One page of the finished, non-deleted entries that started from the first day's midnight to
 * the last day's end in the zone, oldest first, keyset on (started_at, id). Each page is its own
 * short query: an export of any length holds no cursor or transaction open.
 */
export async function listEntries(
  db: Queryable,
  filter: EntryFilter,
  after: EntryKeyset | null,
  limit: number,
): Promise<EntryRow[]> {
  const local = (column: string, pattern: string) =>
    `to_char(${column} AT TIME ZONE $4, '${pattern}')`;
  const { rows } = await db.query<EntryRow>(
    `SELECT e.id, ${isoMicros('e.started_at')} AS cursor,
            ${local('e.started_at', 'YYYY-MM-DD')} AS day,
            ${local('e.started_at', 'IYYY-"W"IW')} AS week,
            to_char(date_trunc('week', e.started_at AT TIME ZONE $4), 'YYYY-MM-DD') AS week_start,
            ${local('e.started_at', 'YYYY-MM')} AS month,
            ${local('e.started_at', 'HH24:MI')} AS start_time,
            ${local('e.ended_at', 'HH24:MI')} AS end_time,
            e.duration_seconds, e.user_id, u.name AS user_name,
            p.id AS project_id, p.key AS project_key, p.name AS project_name, p.client_name,
            t.id AS task_id, p.key || '-' || t.number AS task_key, t.title AS task_title,
            t.labels, e.note, e.tags, e.billable, e.rate::text AS rate, e.currency,
            e.amount::text AS amount
       FROM time_entries e
       JOIN users u ON u.id = e.user_id
       LEFT JOIN tasks t ON t.org_id = e.org_id AND t.id = e.task_id
       LEFT JOIN projects p ON p.org_id = e.org_id AND p.id = COALESCE(t.project_id, e.project_id)
      WHERE e.org_id = $1 AND e.deleted_at IS NULL AND e.ended_at IS NOT NULL
        AND e.started_at >= ($2::date::timestamp AT TIME ZONE $4)
        AND e.started_at < (($3::date + 1)::timestamp AT TIME ZONE $4)
        AND ($5::uuid[] IS NULL OR e.user_id = ANY($5::uuid[]))
        AND ($6::uuid[] IS NULL OR COALESCE(t.project_id, e.project_id) = ANY($6::uuid[]))
        AND ($7::boolean IS NULL OR e.billable = $7::boolean)
        AND ($8::text[] IS NULL OR e.tags && $8::text[])
        AND ($9::timestamptz IS NULL OR (e.started_at, e.id) > ($9::timestamptz, $10::uuid))
      ORDER BY e.started_at, e.id
      LIMIT $11`,
    [
      filter.orgId,
      filter.from,
      filter.to,
      filter.timezone,
      filter.userIds,
      filter.projectIds,
      filter.billable,
      filter.tags,
      after?.cursor ?? null,
      after?.id ?? null,
      limit,
    ],
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
