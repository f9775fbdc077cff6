import type { operations } from '@pmkit/sdk/schema';
import { badRequest } from '../../http/problem.js';

export type ReportQuery = operations['getTimeReport']['parameters']['query'];
export type Rounding = 'none' | 'up' | 'down' | 'nearest';

export const DIMENSIONS = [
  'project',
  'task',
  'user',
  'client',
  'label',
  'day',
  'week',
  'month',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The longest period one report covers: a year, leap day included. */
export const MAX_DAYS = 366;

/** A report request as the service works with it: defaults applied, lists split, checked. */
export interface ReportRequest {
  from: string;
  to: string;
  /** A canonical IANA name. */
  timezone: string;
  groupBy: Dimension[];
  /** Project ids or keys as asked; resolved by the service. */
  projects: string[] | null;
  /** Member ids, `me` included as asked. */
  users: string[] | null;
  billable: boolean | null;
  tags: string[] | null;
  rounding: Rounding;
  /** Minutes; 0 when not rounding. */
  roundTo: number;
  bom: boolean;
  paper: 'a4' | 'letter';
}

const list = (value: string | undefined): string[] | null => {
  if (value === undefined) return null;
  const items = [...new Set(value.split(',').map((item) => item.trim()))].filter(Boolean);
  return items;
};

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/**
 * The canonical name of an IANA time zone, or undefined. Offsets and POSIX strings (`+01:00`,
 * `UTC+1`) are refused: PostgreSQL reads their sign the other way round.
 */
export function canonicalTimeZone(zone: string): string | undefined {
  try {
    const name = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
    return /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name) && !/^UTC[+-]/i.test(zone)
      ? name
      : undefined;
  } catch {
    return undefined;
  }
}

export const invalidTimeZone = (zone: string) =>
  badRequest(`Unknown time zone ${zone}: name an IANA zone such as Europe/Berlin`, [
    { path: '/query/tz', message: 'is not an IANA time zone' },
  ]);

/** Checks what the schema cannot (the order of the days, the zone) and applies defaults. */
export function parseReportRequest(query: ReportQuery, profileZone: string): ReportRequest {
  const zone = query.tz ?? profileZone;
  const timezone = canonicalTimeZone(zone);
  if (!timezone) throw invalidTimeZone(zone);
  const span = dayNumber(query.to) - dayNumber(query.from);
  if (span < 0) {
    throw badRequest(`from (${query.from}) is after to (${query.to})`, [
      { path: '/query/from', message: 'is after to' },
    ]);
  }
  if (span >= MAX_DAYS) {
    throw badRequest(`A report covers at most ${MAX_DAYS} days; ask for several`, [
      { path: '/query/to', message: `is more than ${MAX_DAYS} days after from` },
    ]);
  }
  const groupBy = (query.groupBy ?? 'project').split(',') as Dimension[];
  if (groupBy.length === 2 && groupBy[0] === groupBy[1]) {
    throw badRequest(`groupBy names ${groupBy[0]} twice`, [
      { path: '/query/groupBy', message: 'names one field twice' },
    ]);
  }
  const tags = list(query.tags);
  if (tags?.length === 0) {
    throw badRequest('tags names no tag', [{ path: '/query/tags', message: 'names no tag' }]);
  }
  const rounding = query.rounding ?? 'none';
  return {
    from: query.from,
    to: query.to,
    timezone,
    groupBy,
    projects: list(query.projects),
    users: list(query.users),
    billable: query.billable ?? null,
    tags,
    rounding,
    roundTo: rounding === 'none' ? 0 : (query.roundTo ?? 15),
    bom: query.bom ?? false,
    paper: query.paper ?? 'a4',
  };
}
