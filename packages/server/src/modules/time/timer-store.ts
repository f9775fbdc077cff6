import type { Queryable } from '../../db/types.js';
import { type EventInput, eventsFrom } from '../../lib/events.js';
import { AMOUNT, type EntryRow, selectFrom } from './store.js';

/**
 * The timer's common calls, each one statement (no BEGIN/COMMIT, no read-then-write): the
 * change, its event, and the row the API shows. They answer undefined whenever anything is not
 * plain (no such task, a timer already running, a stop before the start); the service then takes
 * its transactional path, which says exactly what is wrong.
 */

export type TimerTarget =
  | { kind: 'none' }
  | { kind: 'project'; id: string }
  | { kind: 'project'; key: string }
  | { kind: 'task'; id: string }
  | { kind: 'task'; projectKey: string; number: number };

type Actor = Pick<EventInput, 'actor' | 'meta'>;

function targetSql(params: unknown[], orgId: string, target: TimerTarget): string {
  const at = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const org = `${at(orgId)}::uuid`;
  if (target.kind === 'none')
    return `SELECT ${org} AS org_id, NULL::uuid AS project_id, NULL::uuid AS task_id`;
  const live = 'p.deleted_at IS NULL AND p.archived_at IS NULL';
  if (target.kind === 'project') {
    const where = 'id' in target ? `p.id = ${at(target.id)}::uuid` : `p.key = ${at(target.key)}`;
    return `SELECT p.org_id, p.id AS project_id, NULL::uuid AS task_id FROM projects p
             WHERE p.org_id = ${org} AND ${where} AND ${live}`;
  }
  const where =
    'id' in target
      ? `t.id = ${at(target.id)}::uuid`
      : `p.key = ${at(target.projectKey)} AND t.number = ${at(target.number)}`;
  return `SELECT t.org_id, t.project_id, t.id AS task_id FROM tasks t
            JOIN projects p ON p.org_id = t.org_id AND p.id = t.project_id
           WHERE t.org_id = ${org} AND ${where} AND t.deleted_at IS NULL AND ${live}`;
}

export async function startTimer(
  db: Queryable,
  v: {
    orgId: string;
    userId: string;
    target: TimerTarget;
    note: string;
    tags: readonly string[];
    billable: boolean;
    at: Date;
    now: Date;
  } & Actor,
): Promise<EntryRow | undefined> {
  const params: unknown[] = [v.userId, v.note, v.tags, v.billable, v.at, v.now];
  const target = targetSql(params, v.orgId, v.target);
  const event = eventsFrom(params, 'timer', {
    ...v,
    entity: 'timer',
    action: 'started',
    changesSql: `jsonb_build_object('projectId', timer.project_id, 'taskId', timer.task_id, 'at', timer.started_at)`,
  });
  const { rows } = await db.query<EntryRow>(
    `WITH target AS (${target}),
     timer AS (
       INSERT INTO time_entries (org_id, user_id, project_id, task_id, note, tags, billable,
                                 started_at, running_since, created_by, created_at, updated_at)
       SELECT org_id, $1, project_id, task_id, $2, $3, $4, $5, $5, $1, $6, $6 FROM target
       ON CONFLICT (user_id) WHERE ended_at IS NULL AND deleted_at IS NULL DO NOTHING
       RETURNING *),
     event AS (${event})
     ${selectFrom('timer')}`,
    params,
  );
  return rows[0];
}

export async function stopTimer(
  db: Queryable,
  v: {
    userId: string;
    /** The organization the request acts in; an API key's timer must be in it. */
    orgId: string;
    anyOrg: boolean;
    at: Date;
    note: string | undefined;
    now: Date;
  } & Actor,
): Promise<EntryRow | undefined> {
  const params: unknown[] = [v.userId, v.orgId, v.anyOrg, v.at, v.note ?? null, v.now];
  const event = eventsFrom(params, 'entry', {
    ...v,
    entity: 'time_entry',
    action: 'created',
    changesSql: `jsonb_build_object('from', 'timer', 'durationSeconds', entry.duration_seconds, 'endedAt', entry.ended_at)`,
  });
  // A paused timer ended when it was paused: the end of its last segment.
  const end = `CASE WHEN cur.running_since IS NULL
      THEN COALESCE((cur.segments -> -1 ->> 'end')::timestamptz, cur.started_at) ELSE $4::timestamptz END`;
  const worked = `cur.duration_seconds + CASE WHEN cur.running_since IS NULL THEN 0
      ELSE floor(extract(epoch FROM $4::timestamptz - cur.running_since))::int END`;
  const { rows } = await db.query<EntryRow>(
    `WITH cur AS (
       SELECT e.org_id, e.id, e.user_id, e.project_id, e.running_since, e.duration_seconds,
              e.segments, e.started_at, e.billable
         FROM time_entries e
        WHERE e.user_id = $1 AND e.ended_at IS NULL AND e.deleted_at IS NULL
          AND (e.org_id = $2 OR ($3 AND EXISTS (
                SELECT 1 FROM org_members m WHERE m.org_id = e.org_id AND m.user_id = $1)))
          AND (e.running_since IS NULL OR e.running_since <= $4)
        FOR UPDATE),
     rate AS (
       SELECT r.rate, r.currency, r.source FROM cur CROSS JOIN LATERAL (
         SELECT pr.rate, pr.currency, CASE WHEN pr.user_id IS NULL THEN 'project' ELSE 'member' END AS source,
                CASE WHEN pr.user_id IS NULL THEN 2 ELSE 1 END AS rank
           FROM project_rates pr
          WHERE pr.org_id = cur.org_id AND pr.project_id = cur.project_id
            AND (pr.user_id = cur.user_id OR pr.user_id IS NULL)
         UNION ALL
         SELECT s.default_rate, s.default_currency, 'org', 3
           FROM time_settings s WHERE s.org_id = cur.org_id AND s.default_rate IS NOT NULL
         ORDER BY rank LIMIT 1) r),
     entry AS (
       UPDATE time_entries e
          SET ended_at = ${end},
              segments = cur.segments || CASE WHEN cur.running_since IS NULL THEN '[]'::jsonb
                ELSE jsonb_build_array(jsonb_build_object('start', cur.running_since, 'end', $4::timestamptz)) END,
              duration_seconds = ${worked},
              running_since = NULL,
              rate = rate.rate, currency = rate.currency, rate_source = rate.source,
              amount = ${AMOUNT('cur.billable', 'rate.rate', worked)},
              note = COALESCE($5, e.note),
              version = e.version + 1, updated_at = $6
         FROM cur LEFT JOIN rate ON true
        WHERE e.org_id = cur.org_id AND e.id = cur.id
       RETURNING e.*),
     event AS (${event})
     ${selectFrom('entry')}`,
    params,
  );
  return rows[0];
}
