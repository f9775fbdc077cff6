import { amountAt, roundSeconds, toCents } from './figures.js';
import type { Rounding } from './request.js';
import type { EntryRow } from './store.js';

/** A time entry as reports count it: rounded, with the amount it bills. */
export interface ReportEntry {
  row: EntryRow;
  /** After rounding. */
  seconds: number;
  /** What the entry bills, in cents of `row.currency`; null when it bills nothing. */
  amountCents: bigint | null;
}

/**
 * Rounding applies per entry, at report time. A billable entry's amount is its stored amount; when
 * rounding, the rounded duration at the entry's stored rate.
 */
export function toReportEntry(row: EntryRow, rounding: Rounding, roundTo: number): ReportEntry {
  const seconds = roundSeconds(row.duration_seconds, rounding, roundTo);
  let amountCents: bigint | null = null;
  if (row.billable && row.currency) {
    if (row.rate !== null && (rounding !== 'none' || row.amount === null)) {
      amountCents = amountAt(seconds, row.rate);
    } else if (row.amount !== null) {
      amountCents = toCents(row.amount);
    }
  }
  return { row, seconds, amountCents };
}
