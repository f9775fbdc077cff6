import { type Paginated, type PaginateOptions, paginate } from '../paginate.js';
import type { CreateOrgRequest, ListQuery, Org, UpdateOrgRequest, WriteOptions } from '../types.js';
import { data, idempotency, pageQuery, type ResourceContext, segment } from './shared.js';

/** `org` is an organization's id or slug throughout. */
export interface OrgsResource {
  list(query?: ListQuery, options?: PaginateOptions): Paginated<Org>;
  create(body: CreateOrgRequest, options?: WriteOptions): Promise<Org>;
  get(org: string): Promise<Org>;
  /**
   * The organization requests act in: an API key's own, else the client's `org` option (sent as
   * `PM-Org`), or `org` given here.
   */
  current(org?: string): Promise<Org>;
  /** Renames the organization or changes its slug. */
  update(org: string, body: UpdateOrgRequest, options?: WriteOptions): Promise<Org>;
  /** Makes another member the Owner; the caller becomes an Admin. Returns the org as the caller now sees it. */
  transferOwnership(org: string, userId: string): Promise<Org>;
}

export function orgsResource({ raw }: ResourceContext): OrgsResource {
  const path = (org: string) => ({ path: { org: segment('org', org) } });
  return {
    list: (query = {}, options) =>
      paginate(
        async (cursor) =>
          data(await raw.GET('/v1/orgs', { params: { query: pageQuery(query, cursor) } })),
        options,
      ),
    create: async (body, options) =>
      data(await raw.POST('/v1/orgs', { body, headers: idempotency(options) })),
    get: async (org) => data(await raw.GET('/v1/orgs/{org}', { params: path(org) })),
    current: async (org) =>
      data(await raw.GET('/v1/org', org ? { params: { header: { 'PM-Org': org } } } : {})),
    update: async (org, body, options) =>
      data(
        await raw.PATCH('/v1/orgs/{org}', {
          params: path(org),
          body,
          headers: idempotency(options),
        }),
      ),
    transferOwnership: async (org, userId) =>
      data(
        await raw.POST('/v1/orgs/{org}/transfer-ownership', {
          params: path(org),
          body: { userId },
        }),
      ),
  };
}
