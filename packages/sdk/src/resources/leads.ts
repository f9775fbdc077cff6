import type { operations } from '../generated/schema.js';
import { type Paginated, type PaginateOptions, paginate } from '../paginate.js';
import type {
  CreateLeadRequest,
  CreateLeadStatusRequest,
  Lead,
  LeadStatus,
  UpdateLeadRequest,
  UpdateLeadStatusRequest,
  WriteOptions,
} from '../types.js';
import { data, idempotency, pageQuery, type ResourceContext, segment } from './shared.js';

/** Filters and sort of `pm.leads.list`: status name, owner (`me` or an id), source, tag, score range, `followUpDue`, `q`. */
export type LeadListQuery = NonNullable<operations['listLeads']['parameters']['query']>;

export interface LeadStatusesResource {
  /** The pipeline in order (the default one is created on first use). */
  list(org: string): Promise<LeadStatus[]>;
  create(org: string, body: CreateLeadStatusRequest, options?: WriteOptions): Promise<LeadStatus>;
  update(
    org: string,
    id: string,
    body: UpdateLeadStatusRequest,
    options?: WriteOptions,
  ): Promise<LeadStatus>;
  delete(org: string, id: string, options?: WriteOptions): Promise<void>;
}

export interface LeadsResource {
  /** Leads matching the filters, newest first unless `sort` says otherwise. */
  list(org: string, query?: LeadListQuery, options?: PaginateOptions): Paginated<Lead>;
  create(org: string, body: CreateLeadRequest, options?: WriteOptions): Promise<Lead>;
  /** A lead by id, with its score breakdown. */
  get(id: string): Promise<Lead>;
  update(id: string, body: UpdateLeadRequest, options?: WriteOptions): Promise<Lead>;
  /** Deletes a lead (soft). */
  delete(id: string, options?: WriteOptions): Promise<void>;
  statuses: LeadStatusesResource;
}

export function leadsResource({ raw }: ResourceContext): LeadsResource {
  const orgPath = (org: string) => ({ org: segment('org', org) });
  const leadPath = (id: string) => ({ path: { lead: segment('lead id', id) } });
  return {
    list: (org, query = {}, options) =>
      paginate(
        async (cursor) =>
          data(
            await raw.GET('/v1/orgs/{org}/leads', {
              params: { path: orgPath(org), query: pageQuery(query, cursor) },
            }),
          ),
        options,
      ),
    create: async (org, body, options) =>
      data(
        await raw.POST('/v1/orgs/{org}/leads', {
          params: { path: orgPath(org) },
          body,
          headers: idempotency(options),
        }),
      ),
    get: async (id) => data(await raw.GET('/v1/leads/{lead}', { params: leadPath(id) })),
    update: async (id, body, options) =>
      data(
        await raw.PATCH('/v1/leads/{lead}', {
          params: leadPath(id),
          body,
          headers: idempotency(options),
        }),
      ),
    async delete(id, options) {
      await raw.DELETE('/v1/leads/{lead}', { params: leadPath(id), headers: idempotency(options) });
    },
    statuses: {
      list: async (org) =>
        data(await raw.GET('/v1/orgs/{org}/lead-statuses', { params: { path: orgPath(org) } }))
          .items,
      create: async (org, body, options) =>
        data(
          await raw.POST('/v1/orgs/{org}/lead-statuses', {
            params: { path: orgPath(org) },
            body,
            headers: idempotency(options),
          }),
        ),
      update: async (org, id, body, options) =>
        data(
          await raw.PATCH('/v1/orgs/{org}/lead-statuses/{leadStatus}', {
            params: { path: { ...orgPath(org), leadStatus: segment('status id', id) } },
            body,
            headers: idempotency(options),
          }),
        ),
      async delete(org, id, options) {
        await raw.DELETE('/v1/orgs/{org}/lead-statuses/{leadStatus}', {
          params: { path: { ...orgPath(org), leadStatus: segment('status id', id) } },
          headers: idempotency(options),
        });
      },
    },
  };
}
