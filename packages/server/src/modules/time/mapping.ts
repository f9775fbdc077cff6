import type { components } from '@pmkit/sdk/schema';
import type { LockRow, SettingsRow } from './settings-store.js';
import type { EntryRow } from './store.js';

type TimeEntry = components['schemas']['TimeEntry'];
type Timer = components['schemas']['Timer'];
type TimeLock = components['schemas']['TimeLock'];
type TimeSettings = components['schemas']['TimeSettings'];
type Segment = components['schemas']['TimerSegment'];

const iso = (value: string | Date) => new Date(value).toISOString();

const money = (amount: string | null, currency: string | null) =>
  amount !== null && currency !== null ? { amount, currency } : null;

const project = (row: EntryRow) =>
  row.project_id && row.project_key
    ? { id: row.project_id, key: row.project_key, name: row.project_name ?? '' }
    : null;

const task = (row: EntryRow) =>
  row.task_id && row.task_key
    ? { id: row.task_id, key: row.task_key, title: row.task_title ?? '' }
    : null;

const segments = (row: EntryRow): Segment[] => [
  ...row.segments.map((s) => ({ start: iso(s.start), end: iso(s.end) })),
  ...(row.running_since ? [{ start: row.running_since.toISOString(), end: null }] : []),
];

export const toEntry = (row: EntryRow): TimeEntry => ({
  id: row.id,
  orgId: row.org_id,
  user: { id: row.user_id, name: row.user_name },
  project: project(row),
  task: task(row),
  note: row.note,
  tags: row.tags,
  billable: row.billable,
  startedAt: row.started_at.toISOString(),
  endedAt: (row.ended_at ?? row.started_at).toISOString(),
  durationSeconds: row.duration_seconds,
  segments: segments(row),
  hourlyRate: money(row.rate, row.currency),
  amount: money(row.amount, row.currency),
  rateSource: row.rate_source,
  version: row.version,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** Worked seconds so far: the closed segments, and the open one up to `now`. */
export const elapsedSeconds = (row: EntryRow, now: Date): number =>
  row.duration_seconds +
  (row.running_since
    ? Math.max(0, Math.floor((now.getTime() - row.running_since.getTime()) / 1000))
    : 0);

export const toTimer = (row: EntryRow, now: Date): Timer => ({
  id: row.id,
  orgId: row.org_id,
  userId: row.user_id,
  project: project(row),
  task: task(row),
  note: row.note,
  tags: row.tags,
  billable: row.billable,
  startedAt: row.started_at.toISOString(),
  state: row.running_since ? 'running' : 'paused',
  elapsedSeconds: elapsedSeconds(row, now),
  segments: segments(row),
  overLimit: now.getTime() - row.started_at.getTime() > row.long_timer_minutes * 60_000,
});

export const toLock = (row: LockRow): TimeLock => ({
  id: row.id,
  from: row.from_date,
  to: row.to_date,
  timezone: row.timezone,
  note: row.note,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
});

export const toSettings = (row: SettingsRow): TimeSettings => ({
  defaultHourlyRate: money(row.default_rate, row.default_currency),
  allowOverlap: row.allow_overlap,
  viewersSeeReports: row.viewers_see_reports,
  longTimerMinutes: row.long_timer_minutes,
});
