import type { Readable } from 'node:stream';
import { csvStream } from '../../lib/csv.js';
import type { ReportEntry } from './entry.js';
import { decimalHours, formatCents, hoursMinutes } from './figures.js';

export const REPORT_COLUMNS = [
  'date',
  'start',
  'end',
  'duration',
  'hours',
  'user',
  'project',
  'task',
  'note',
  'tags',
  'billable',
  'rate',
  'amount',
  'currency',
] as const;

/**
 * One row per entry, as the chunks are read: days and times in the report's zone, the duration
 * after rounding, the amount only where the entry bills. Formula-like cells are neutralised.
 */
export function reportCsv(entries: AsyncIterable<ReportEntry[]>, bom: boolean): Readable {
  return csvStream(
    REPORT_COLUMNS,
    entries,
    ({ row, seconds, amountCents }) => [
      row.day,
      row.start_time,
      row.end_time,
      hoursMinutes(seconds),
      decimalHours(seconds),
      row.user_name,
      row.project_key,
      row.task_key,
      row.note,
      row.tags.join(','),
      row.billable,
      row.rate,
      amountCents === null ? null : formatCents(amountCents),
      row.currency,
    ],
    { bom },
  );
}
