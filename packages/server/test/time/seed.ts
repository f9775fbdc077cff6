import type { Queryable } from '../../src/db/types.js';

/** A time entry to write straight into the database, as the time-entry API would have. */
export interface SeedEntry {
  userId: string;
  projectId?: string | null;
  taskId?: string | null;
  /** When it started: an ISO instant (`2026-11-24T09:00:00Z`) or a Date. */
  start: string | Date;
  /** When it ended; null for a running timer. Default: `start` plus `minutes`. */
  end?: string | Date | null;
  /** The worked time, when `end` is not given (default 60). */
  minutes?: number;
  /** Worked seconds, when they differ from end − start (paused time). */
  durationSeconds?: number;
  note?: string;
  tags?: string[];
  billable?: boolean;
  /** Hourly rate as a decimal string (`90.00`); with `currency`. */
  rate?: string | null;
  currency?: string | null;
  /** Default: duration × rate, to the cent, when there is a rate. */
  amount?: string | null;
  deleted?: boolean;
}

const MINUTE = 60_000;
const toDate = (value: string | Date) => (value instanceof Date ? value : new Date(value));

function amountOf(seconds: number, rate: string): string {
  const [whole = '0', fraction = ''] = rate.split('.');
  const rateCents = BigInt(whole) * 100n + BigInt(`${fraction}00`.slice(0, 2));
  const cents = (BigInt(seconds) * rateCents * 2n + 3600n) / 7200n;
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

/**
 * Inserts time entries of `orgId` in one statement (arrays unnested), finished ones with one
 * segment, running ones (end: null) as timers; returns their ids in order.
 */
export async function seedEntries(
  db: Queryable,
  orgId: string,
  entries: SeedEntry[],
): Promise<string[]> {
  if (entries.length === 0) return [];
  const columns = {
    user: [] as string[],
    project: [] as (string | null)[],
    task: [] as (string | null)[],
    note: [] as string[],
    tags: [] as string[],
    billable: [] as boolean[],
    started: [] as string[],
    ended: [] as (string | null)[],
    segments: [] as string[],
    running: [] as (string | null)[],
    duration: [] as number[],
    rate: [] as (string | null)[],
    currency: [] as (string | null)[],
    amount: [] as (string | null)[],
    deleted: [] as boolean[],
  };
  for (const entry of entries) {
    const start = toDate(entry.start);
    const end =
      entry.end === null
        ? null
        : entry.end !== undefined
          ? toDate(entry.end)
          : new Date(start.getTime() + (entry.minutes ?? 60) * MINUTE);
    const seconds =
      entry.durationSeconds ?? (end ? Math.round((end.getTime() - start.getTime()) / 1000) : 0);
    const rate = entry.rate ?? null;
    columns.user.push(entry.userId);
    columns.project.push(entry.projectId ?? null);
    columns.task.push(entry.taskId ?? null);
    columns.note.push(entry.note ?? '');
    // Each entry's tags as one JSON array: unnest cannot take an array of arrays of any length.
    columns.tags.push(JSON.stringify(entry.tags ?? []));
    columns.billable.push(entry.billable ?? false);
    columns.started.push(start.toISOString());
    columns.ended.push(end?.toISOString() ?? null);
    columns.segments.push(
      JSON.stringify(end ? [{ start: start.toISOString(), end: end.toISOString() }] : []),
    );
    columns.running.push(end ? null : start.toISOString());
    columns.duration.push(seconds);
    columns.rate.push(rate);
    columns.currency.push(rate === null ? null : (entry.currency ?? 'EUR'));
    columns.amount.push(
      entry.amount !== undefined ? entry.amount : rate === null ? null : amountOf(seconds, rate),
    );
    columns.deleted.push(entry.deleted ?? false);
  }
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO time_entries (org_id, user_id, project_id, task_id, note, tags, billable,
                               started_at, ended_at, segments, running_since, duration_seconds,
                               rate, currency, rate_source, amount, created_by, deleted_at)
     SELECT $1, s.user_id, s.project_id, s.task_id, s.note,
            ARRAY(SELECT jsonb_array_elements_text(s.tags::jsonb)), s.billable,
            s.started_at, s.ended_at, s.segments::jsonb, s.running_since, s.duration,
            s.rate, s.currency, CASE WHEN s.rate IS NULL THEN NULL ELSE 'entry' END, s.amount,
            s.user_id, CASE WHEN s.deleted THEN now() END
       FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::boolean[],
                   $8::timestamptz[], $9::timestamptz[], $10::text[], $11::timestamptz[],
                   $12::integer[], $13::numeric[], $14::text[], $15::numeric[], $16::boolean[])
            WITH ORDINALITY AS s(user_id, project_id, task_id, note, tags, billable, started_at,
                                 ended_at, segments, running_since, duration, rate, currency,
                                 amount, deleted, n)
      ORDER BY s.n
     RETURNING id`,
    [
      orgId,
      columns.user,
      columns.project,
      columns.task,
      columns.note,
      columns.tags,
      columns.billable,
      columns.started,
      columns.ended,
      columns.segments,
      columns.running,
      columns.duration,
      columns.rate,
      columns.currency,
      columns.amount,
      columns.deleted,
    ],
  );
  return rows.map((row) => row.id);
}

/** Lets Viewers of `orgId` read reports (or not), as an Admin's time settings would. */
export async function allowViewerReports(db: Queryable, orgId: string, allowed = true) {
  await db.query(
    `INSERT INTO time_settings (org_id, viewers_see_reports) VALUES ($1, $2)
     ON CONFLICT (org_id) DO UPDATE SET viewers_see_reports = EXCLUDED.viewers_see_reports`,
    [orgId, allowed],
  );
}
