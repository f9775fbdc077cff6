import { amountAt, roundSeconds, toCents } from './figures.js';
import type { EntryNames, Person, ProjectRef, TaskRef } from './names.js';
import type { Rounding } from './request.js';
import type { EntryRow } from './store.js';

/** A time entry as reports count it: its day in the zone, rounded, with the amount it bills. */
export interface ReportEntry {
  id: string;
  /** `2026-11-24`, in the report's zone. */
  day: string;
  /** `09:00`. */
  start: string;
  /** `10:30`. */
  end: string;
  /** The ISO week, `2026-W48`. */
  week: string;
  /** 1 (Monday) to 7. */
  weekday: number;
  /** `2026-11`. */
  month: string;
  /** After rounding. */
  seconds: number;
  /** What the entry bills, in cents of `currency`; null when it bills nothing. */
  amountCents: bigint | null;
  user: Person;
  project: ProjectRef | null;
  task: TaskRef | null;
  note: string;
  /** Comma-separated. */
  tags: string;
  billable: boolean;
  rate: string | null;
  currency: string | null;
}

/**
 * Rounding applies per entry, at report time. A billable entry's amount is its stored amount; when
 * rounding, the rounded duration at the entry's stored rate.
 */
export function toReportEntry(
  row: EntryRow,
  names: EntryNames,
  rounding: Rounding,
  roundTo: number,
): ReportEntry {
  const seconds = roundSeconds(row.duration_seconds, rounding, roundTo);
  let amountCents: bigint | null = null;
  if (row.billable && row.currency) {
    if (row.rate !== null && (rounding !== 'none' || row.amount === null)) {
      amountCents = amountAt(seconds, row.rate);
    } else if (row.amount !== null) {
      amountCents = toCents(row.amount);
    }
  }
  const local = row.local_start;
  return {
    id: row.id,
    day: local.slice(0, 10),
    start: local.slice(11, 16),
    end: row.end_time,
    week: `${local.slice(17, 21)}-W${local.slice(22, 24)}`,
    weekday: local.charCodeAt(25) - 48,
    month: local.slice(0, 7),
    seconds,
    amountCents,
    user: names.person(row.user_id),
    project: names.project(row.project_id),
    task: names.task(row.task_id),
    note: row.note,
    tags: row.tags,
    billable: row.billable,
    rate: row.rate,
    currency: row.currency,
  };
}
