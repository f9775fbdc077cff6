import { type Page, type Paginated, type PaginateOptions, paginate } from '../paginate.js';
import type { AuditEvent } from '../types.js';
import { data, pageQuery, type ResourceContext, segment } from './shared.js';

export interface AuditQuery {
  /** Only events with this action, such as `member.removed`. */
  action?: string;
  /** Only events by this user or API key id. */
  actor?: string;
  /** Only events at or after this time. */
  since?: string | Date;
  /** Only events before this time. */
  until?: string | Date;
  /** Page size (1–200). */
  limit?: number;
}

export interface AuditResource {
  /** Security events of an organization, newest first. */
  list(org: string, query?: AuditQuery, options?: PaginateOptions): Paginated<AuditEvent>;
  /**
   * Every matching event as CSV, newest first, streamed as the server writes it: pipe it to a
   * file (`Readable.fromWeb(stream).pipe(createWriteStream('audit.csv'))`).
   */
  exportCsv(org: string, query?: Omit<AuditQuery, 'limit'>): Promise<ReadableStream<Uint8Array>>;
}

const iso = (time: string | Date | undefined) => (time instanceof Date ? time.toISOString() : time);

export function auditResource({ raw }: ResourceContext): AuditResource {
  return {
    list(org, query = {}, options) {
      const filters = filtersOf(query);
      return paginate(
        async (cursor) =>
          // Without format=csv or Accept: text/csv the answer is the JSON page.
          data(
            await raw.GET('/v1/orgs/{org}/audit', {
              params: { path: { org: segment('org', org) }, query: pageQuery(filters, cursor) },
            }),
          ) as Page<AuditEvent>,
        options,
      );
    },
    async exportCsv(org, query = {}) {
      const { data: stream } = await raw.GET('/v1/orgs/{org}/audit', {
        params: {
          path: { org: segment('org', org) },
          query: { ...filtersOf(query), format: 'csv' },
        },
        parseAs: 'stream',
      });
      return stream as ReadableStream<Uint8Array>;
    },
  };
}

function filtersOf({ since, until, ...rest }: AuditQuery) {
  return {
    ...rest,
    ...(since !== undefined ? { since: iso(since) } : {}),
    ...(until !== undefined ? { until: iso(until) } : {}),
  };
}
