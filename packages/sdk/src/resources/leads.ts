import { PmError, PmNetworkError } from '../errors.js';
import type { operations } from '../generated/schema.js';
import { type Paginated, type PaginateOptions, paginate } from '../paginate.js';
import { type BodySource, streamedBody } from '../streams.js';
import type {
  BulkLeadChange,
  BulkLeadResult,
  CreateLeadFilterRequest,
  CreateLeadRequest,
  CreateLeadScoringRuleRequest,
  CreateLeadStatusRequest,
  CreateProjectRequest,
  Lead,
  LeadConversion,
  LeadFilter,
  LeadImport,
  LeadScoringRule,
  LeadStats,
  LeadStatus,
  UpdateLeadRequest,
  UpdateLeadScoringRuleRequest,
  UpdateLeadStatusRequest,
  WriteOptions,
} from '../types.js';
import { ifMatchHeader, type UpdateOptions } from './projects.js';
import { data, idempotency, pageQuery, type ResourceContext, segment } from './shared.js';

/** Filters and sort of `pm.leads.list`: status name, owner (`me` or an id), source, tag, score range, `followUpDue`, `q`. */
export type LeadListQuery = NonNullable<operations['listLeads']['parameters']['query']>;

/** Options of `pm.leads.import`: the query of `POST /v1/orgs/{org}/lead-imports`, and the key. */
export type LeadImportOptions = NonNullable<
  operations['createLeadImport']['parameters']['query']
> & {
  /** Sent as `Idempotency-Key`; a fresh UUID when omitted. A retry reuses it. */
  idempotencyKey?: string;
  /** Further attempts after a network failure or a 503, when `source` is a function (default 3). */
  retries?: number;
};

export interface LeadImportsResource {
  /** Progress and result of an import. */
  get(org: string, id: string): Promise<LeadImport>;
  /** The refused rows as they were plus an `error` column, as CSV text. */
  errorsCsv(org: string, id: string): Promise<ReadableStream<Uint8Array>>;
}

export interface LeadScoringRulesResource {
  /** The rules in order. */
  list(org: string): Promise<LeadScoringRule[]>;
  /** Adds a rule; every lead is scored again. */
  create(
    org: string,
    body: CreateLeadScoringRuleRequest,
    options?: WriteOptions,
  ): Promise<LeadScoringRule>;
  update(
    org: string,
    id: string,
    body: UpdateLeadScoringRuleRequest,
    options?: WriteOptions,
  ): Promise<LeadScoringRule>;
  delete(org: string, id: string, options?: WriteOptions): Promise<void>;
}

/** Saved filters: the caller's own, private to them. */
export interface LeadFiltersResource {
  /** The caller's filters, by name. */
  list(org: string): Promise<LeadFilter[]>;
  /** Saves a filter (a name unique among the caller's, any case: 409 otherwise). */
  create(org: string, body: CreateLeadFilterRequest, options?: WriteOptions): Promise<LeadFilter>;
  delete(org: string, id: string, options?: WriteOptions): Promise<void>;
}

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
  /** `{ ifMatch }` (the version or ETag read) refuses to overwrite a newer change (412). */
  update(id: string, body: UpdateLeadRequest, options?: UpdateOptions): Promise<Lead>;
  /** Deletes a lead (soft). */
  delete(id: string, options?: WriteOptions): Promise<void>;
  /**
   * Converts a won lead into a project (Managers), created as by `pm.projects.create` (from a
   * template with `templateId`); the project's `leadId` names the lead. 409 `lead-not-won` or
   * `lead-already-converted` otherwise.
   */
  convert(
    id: string,
    project: CreateProjectRequest,
    options?: WriteOptions,
  ): Promise<LeadConversion>;
  /**
   * One change to up to 500 leads (ids) in one transaction; each lead is reported, and those that
   * cannot take it (not found, not the caller's to change) fail alone.
   */
  bulk(leads: string[], change: BulkLeadChange, options?: WriteOptions): Promise<BulkLeadResult>;
  filters: LeadFiltersResource;
  /**
   * Imports a CSV file, streamed as it is read (never buffered whole). Pass a function that opens
   * the file to have a failed upload (network, 503, the server restarting) sent again under the
   * same Idempotency-Key: the server resumes after the rows it already wrote.
   */
  import(
    org: string,
    source: BodySource | (() => BodySource),
    options?: LeadImportOptions,
  ): Promise<LeadImport>;
  imports: LeadImportsResource;
  statuses: LeadStatusesResource;
  scoringRules: LeadScoringRulesResource;
  /** Counts by status, source and owner, and the conversion rate, for leads created in a period. */
  stats(org: string, period?: { since?: string; until?: string }): Promise<LeadStats>;
}

const retriable = (error: unknown) =>
  error instanceof PmNetworkError ||
  (error instanceof PmError &&
    (error.status === 503 || error.type.endsWith('/idempotency-key-in-progress')));

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
          headers: { ...idempotency(options), ...ifMatchHeader(options) },
        }),
      ),
    convert: async (id, project, options) =>
      data(
        await raw.POST('/v1/leads/{lead}/convert', {
          params: leadPath(id),
          body: project,
          headers: idempotency(options),
        }),
      ),
    bulk: async (leads, change, options) =>
      data(
        await raw.POST('/v1/leads/bulk', {
          body: { leads, change },
          headers: idempotency(options),
        }),
      ),
    filters: {
      list: async (org) =>
        data(await raw.GET('/v1/orgs/{org}/lead-filters', { params: { path: orgPath(org) } }))
          .items,
      create: async (org, body, options) =>
        data(
          await raw.POST('/v1/orgs/{org}/lead-filters', {
            params: { path: orgPath(org) },
            body,
            headers: idempotency(options),
          }),
        ),
      async delete(org, id, options) {
        await raw.DELETE('/v1/orgs/{org}/lead-filters/{filter}', {
          params: { path: { ...orgPath(org), filter: segment('filter id', id) } },
          headers: idempotency(options),
        });
      },
    },
    async delete(id, options) {
      await raw.DELETE('/v1/leads/{lead}', { params: leadPath(id), headers: idempotency(options) });
    },
    async import(org, source, options = {}) {
      const { idempotencyKey = crypto.randomUUID(), retries = 3, ...query } = options;
      const open = typeof source === 'function' ? source : undefined;
      for (let attempt = 0; ; attempt++) {
        try {
          const { headers, ...body } = streamedBody(
            open ? open() : (source as BodySource),
            'text/csv',
          );
          return data(
            await raw.POST('/v1/orgs/{org}/lead-imports', {
              params: { path: orgPath(org), query },
              ...body,
              headers: { ...headers, 'Idempotency-Key': idempotencyKey },
            }),
          );
        } catch (error) {
          if (!open || attempt >= retries || !retriable(error)) throw error;
          await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
        }
      }
    },
    stats: async (org, period = {}) =>
      data(
        await raw.GET('/v1/orgs/{org}/leads/stats', {
          params: { path: orgPath(org), query: period },
        }),
      ),
    imports: {
      get: async (org, id) =>
        data(
          await raw.GET('/v1/orgs/{org}/lead-imports/{import}', {
            params: { path: { ...orgPath(org), import: segment('import id', id) } },
          }),
        ),
      async errorsCsv(org, id) {
        const { data: stream } = await raw.GET('/v1/orgs/{org}/lead-imports/{import}/errors.csv', {
          params: { path: { ...orgPath(org), import: segment('import id', id) } },
          parseAs: 'stream',
        });
        return stream as ReadableStream<Uint8Array>;
      },
    },
    scoringRules: {
      list: async (org) =>
        data(await raw.GET('/v1/orgs/{org}/lead-scoring-rules', { params: { path: orgPath(org) } }))
          .items,
      create: async (org, body, options) =>
        data(
          await raw.POST('/v1/orgs/{org}/lead-scoring-rules', {
            params: { path: orgPath(org) },
            body,
            headers: idempotency(options),
          }),
        ),
      update: async (org, id, body, options) =>
        data(
          await raw.PATCH('/v1/orgs/{org}/lead-scoring-rules/{leadScoringRule}', {
            params: { path: { ...orgPath(org), leadScoringRule: segment('rule id', id) } },
            body,
            headers: idempotency(options),
          }),
        ),
      async delete(org, id, options) {
        await raw.DELETE('/v1/orgs/{org}/lead-scoring-rules/{leadScoringRule}', {
          params: { path: { ...orgPath(org), leadScoringRule: segment('rule id', id) } },
          headers: idempotency(options),
        });
      },
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
