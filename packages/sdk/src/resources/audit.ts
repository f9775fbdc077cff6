import { type Paginated, type PaginateOptions, paginate } from '../paginate.js';
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
}

const iso = (time: string | Date | undefined) => (time instanceof Date ? time.toISOString() : time);

export function auditResource({ raw }: ResourceContext): AuditResource {
  return {
    list(org, query = {}, options) {
      const { since, until, ...rest } = query;
      const filters = {
        ...rest,
        ...(since !== undefined ? { since: iso(since) } : {}),
        ...(until !== undefined ? { until: iso(until) } : {}),
      };
      return paginate(
        async (cursor) =>
          data(
            await raw.GET('/v1/orgs/{org}/audit', {
              params: { path: { org: segment('org', org) }, query: pageQuery(filters, cursor) },
            }),
          ),
        options,
      );
    },
  };
}
