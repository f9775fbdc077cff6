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
    (e) => [
      e.day,
      e.start,
      e.end,
      hoursMinutes(e.seconds),
      decimalHours(e.seconds),
      e.user.name,
      e.project?.key,
      e.task?.key,
      e.note,
      e.tags,
      e.billable,
      e.rate,
      e.amountCents === null ? null : formatCents(e.amountCents),
      e.currency,
    ],
    { bom },
  );
}
