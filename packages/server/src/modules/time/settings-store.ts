import type { Queryable } from '../../db/types.js';
import type { Keyset } from '../../lib/keyset.js';

// An organization's locked periods, time settings, and projects' hourly rates.

export interface LockRow {
  id: string;
  from_date: string;
  to_date: string;
  timezone: string;
  note: string;
  created_by: string | null;
  created_at: Date;
}

const LOCK_COLUMNS = `id, from_date::text AS from_date, to_date::text AS to_date, timezone, note,
  created_by, created_at`;

/** A lock covering any of the instants, if one does. */
export async function lockCovering(
  db: Queryable,
  orgId: string,
  at: readonly Date[],
): Promise<LockRow | undefined> {
  const { rows } = await db.query<LockRow>(
    `SELECT ${LOCK_COLUMNS} FROM time_locks
      WHERE org_id = $1 AND EXISTS (
        SELECT 1 FROM unnest($2::timestamptz[]) AS t(at) WHERE at >= starts_at AND at < ends_at)
      ORDER BY created_at LIMIT 1`,
    [orgId, at],
  );
  return rows[0];
}

export async function insertLock(
  db: Queryable,
  v: {
    orgId: string;
    from: string;
    to: string;
    timezone: string;
    note: string;
    createdBy: string | null;
    now: Date;
  },
): Promise<LockRow> {
  const { rows } = await db.query<LockRow>(
    `INSERT INTO time_locks (org_id, from_date, to_date, timezone, starts_at, ends_at, note,
                             created_by, created_at)
     VALUES ($1, $2::date, $3::date, $4, $2::date::timestamp AT TIME ZONE $4,
             ($3::date + 1)::timestamp AT TIME ZONE $4, $5, $6, $7)
     RETURNING ${LOCK_COLUMNS}`,
    [v.orgId, v.from, v.to, v.timezone, v.note, v.createdBy, v.now],
  );
  return rows[0]!;
}

export async function listLocks(db: Queryable, orgId: string, keyset: Keyset): Promise<LockRow[]> {
  const params: unknown[] = [orgId];
  const { rows } = await db.query<LockRow>(
    `SELECT ${keyset.select()}, ${LOCK_COLUMNS} FROM time_locks
      WHERE org_id = $1 AND ${keyset.where(params)}
      ORDER BY ${keyset.orderBy()} ${keyset.limitClause(params)}`,
    params,
  );
  return rows;
}

export async function deleteLock(db: Queryable, orgId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM time_locks WHERE org_id = $1 AND id = $2', [
    orgId,
    id,
  ]);
  return (rowCount ?? 0) > 0;
}

export interface SettingsRow {
  default_rate: string | null;
  default_currency: string | null;
  allow_overlap: boolean;
  viewers_see_reports: boolean;
  long_timer_minutes: number;
}

const DEFAULT_SETTINGS: SettingsRow = {
  default_rate: null,
  default_currency: null,
  allow_overlap: false,
  viewers_see_reports: false,
  long_timer_minutes: 600,
};

export async function getSettings(db: Queryable, orgId: string): Promise<SettingsRow> {
  const { rows } = await db.query<SettingsRow>(
    `SELECT default_rate::text AS default_rate, default_currency, allow_overlap,
            viewers_see_reports, long_timer_minutes
       FROM time_settings WHERE org_id = $1`,
    [orgId],
  );
  return rows[0] ?? DEFAULT_SETTINGS;
}

export async function saveSettings(
  db: Queryable,
  orgId: string,
  s: SettingsRow,
  now: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO time_settings (org_id, default_rate, default_currency, allow_overlap,
                                viewers_see_reports, long_timer_minutes, updated_at)
     VALUES ($1, $2::numeric, $3, $4, $5, $6, $7)
     ON CONFLICT (org_id) DO UPDATE SET default_rate = EXCLUDED.default_rate,
       default_currency = EXCLUDED.default_currency, allow_overlap = EXCLUDED.allow_overlap,
       viewers_see_reports = EXCLUDED.viewers_see_reports,
       long_timer_minutes = EXCLUDED.long_timer_minutes, updated_at = EXCLUDED.updated_at`,
    [
      orgId,
      s.default_rate,
      s.default_currency,
      s.allow_overlap,
      s.viewers_see_reports,
      s.long_timer_minutes,
      now,
    ],
  );
}

export interface RateRow {
  user_id: string | null;
  rate: string;
  currency: string;
}

export async function listRates(
  db: Queryable,
  orgId: string,
  projectId: string,
): Promise<RateRow[]> {
  const { rows } = await db.query<RateRow>(
    `SELECT user_id, rate::text AS rate, currency FROM project_rates
      WHERE org_id = $1 AND project_id = $2 ORDER BY user_id NULLS FIRST`,
    [orgId, projectId],
  );
  return rows;
}

export async function setRate(
  db: Queryable,
  v: {
    orgId: string;
    projectId: string;
    userId: string | null;
    rate: { amount: string; currency: string } | null;
    now: Date;
  },
): Promise<void> {
  if (v.rate === null) {
    await db.query(
      `DELETE FROM project_rates WHERE org_id = $1 AND project_id = $2
          AND user_id IS NOT DISTINCT FROM $3`,
      [v.orgId, v.projectId, v.userId],
    );
    return;
  }
  await db.query(
    `INSERT INTO project_rates (org_id, project_id, user_id, rate, currency, updated_at)
     VALUES ($1, $2, $3, $4::numeric, $5, $6)
     ON CONFLICT (org_id, project_id, user_id) DO UPDATE
       SET rate = EXCLUDED.rate, currency = EXCLUDED.currency, updated_at = EXCLUDED.updated_at`,
    [v.orgId, v.projectId, v.userId, v.rate.amount, v.rate.currency, v.now],
  );
}
