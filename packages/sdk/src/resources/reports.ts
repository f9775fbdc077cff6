import type { operations } from '../generated/schema.js';
import type { ReportDimension, TimeReport } from '../types.js';
import { data, type ResourceContext, segment } from './shared.js';

type Query = operations['getTimeReport']['parameters']['query'];

/** A day: `2026-11-16`, or a Date (its UTC calendar day). */
type Day = string | Date;
type OneOrMany<T> = T | readonly T[];

export interface TimeReportQuery {
  /** First day, inclusive. */
  from: Day;
  /** Last day, inclusive. */
  to: Day;
  /** An IANA zone deciding days and weeks; default the caller's profile zone. */
  tz?: string;
  /** One or two levels (default `project`). */
  groupBy?: OneOrMany<ReportDimension>;
  /** Project ids or keys. */
  projects?: OneOrMany<string>;
  /** `me` or member ids. */
  users?: OneOrMany<string>;
  billable?: boolean;
  /** Entries with any of these tags. */
  tags?: OneOrMany<string>;
  rounding?: Query['rounding'];
  roundTo?: Query['roundTo'];
  /** CSV only: a byte order mark, for spreadsheets. */
  bom?: boolean;
  /** PDF only (default a4). */
  paper?: Query['paper'];
}

export interface ReportsResource {
  /** The time report as JSON: totals and groups. */
  time(org: string, query: TimeReportQuery & { format?: 'json' }): Promise<TimeReport>;
  /**
   * The time report as CSV (one row per entry) or PDF, streamed as the server writes it: pipe it
   * to a file (`Readable.fromWeb(stream).pipe(createWriteStream('week.pdf'))`).
   */
  time(
    org: string,
    query: TimeReportQuery & { format: 'csv' | 'pdf' },
  ): Promise<ReadableStream<Uint8Array>>;
}

const day = (value: Day) => (value instanceof Date ? value.toISOString().slice(0, 10) : value);
const joined = (value: OneOrMany<string> | undefined) =>
  value === undefined ? undefined : typeof value === 'string' ? value : value.join(',');

function toQuery({ from, to, groupBy, projects, users, tags, ...rest }: TimeReportQuery): Query {
  const query: Query = { ...rest, from: day(from), to: day(to) };
  const lists = { groupBy: joined(groupBy), projects: joined(projects), users: joined(users) };
  for (const [name, value] of Object.entries({ ...lists, tags: joined(tags) })) {
    if (value !== undefined) (query as Record<string, unknown>)[name] = value;
  }
  return query;
}

export function reportsResource({ raw }: ResourceContext): ReportsResource {
  return {
    async time(org: string, { format, ...query }: TimeReportQuery & { format?: string }) {
      const params = { path: { org: segment('org', org) }, query: toQuery(query) };
      if (format === 'csv' || format === 'pdf') {
        const { data: stream } = await raw.GET('/v1/orgs/{org}/reports/time', {
          params: { ...params, query: { ...params.query, format } },
          parseAs: 'stream',
        });
        return stream as ReadableStream<Uint8Array>;
      }
      return data(await raw.GET('/v1/orgs/{org}/reports/time', { params }));
    },
  } as ReportsResource;
}
