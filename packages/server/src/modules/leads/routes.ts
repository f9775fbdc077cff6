import { actorOf } from '../../context/principal.js';
import type { Handlers } from '../../http/handler-types.js';
import type { IdempotencyRecord } from '../../http/idempotency.js';
import type { StreamedBody } from '../../http/request-body.js';
import { requestMeta } from '../../lib/events.js';
import { requireOrg } from '../access/authorize.js';
import { requirePrincipal } from '../auth/authenticate.js';
import { change, withEtag } from '../projects/routes.js';
import type { BulkLeadService } from './bulk.js';
import type { LeadConversionService } from './convert.js';
import type { LeadFilterService } from './filters.js';
import type { LeadImportService } from './import-service.js';
import type { LeadService } from './service.js';

type LeadOps =
  | 'listLeads'
  | 'createLead'
  | 'getLead'
  | 'updateLead'
  | 'deleteLead'
  | 'listLeadStatuses'
  | 'createLeadStatus'
  | 'updateLeadStatus'
  | 'deleteLeadStatus'
  | 'createLeadImport'
  | 'getLeadImport'
  | 'getLeadImportErrors'
  | 'getLeadStats'
  | 'listLeadScoringRules'
  | 'createLeadScoringRule'
  | 'updateLeadScoringRule'
  | 'deleteLeadScoringRule';

export function leadHandlers(
  leads: LeadService,
  imports: LeadImportService,
): Pick<Handlers, LeadOps> {
  return {
    createLeadImport: async ({ org, principal, body, query, ctx }) =>
      imports.run(
        requireOrg(org),
        requirePrincipal(principal),
        body as StreamedBody,
        query,
        {
          key: ctx.get('Idempotency-Key') || undefined,
          idempotency: ctx.state.idempotency as IdempotencyRecord | undefined,
        },
        actorOf(principal),
        requestMeta(ctx),
      ),
    getLeadImport: async ({ org, params }) => ({
      status: 200,
      body: await imports.get(requireOrg(org), params.import),
    }),
    getLeadImportErrors: async ({ org, params }) => ({
      status: 200,
      contentType: 'text/csv',
      body: await imports.errorsCsv(requireOrg(org), params.import),
    }),
    listLeads: async ({ org, principal, query }) => ({
      status: 200,
      body: await leads.list(requireOrg(org), requirePrincipal(principal), query),
    }),
    createLead: async ({ org, principal, body, ctx }) =>
      withEtag(
        201,
        await leads.create(
          requireOrg(org),
          requirePrincipal(principal),
          body,
          actorOf(principal),
          requestMeta(ctx),
        ),
      ),
    getLead: async ({ org, located }) =>
      withEtag(200, await leads.get(requireOrg(org), located.lead!)),
    updateLead: async ({ org, principal, located, body, ctx }) =>
      withEtag(
        200,
        await leads.update(
          requireOrg(org),
          requirePrincipal(principal),
          located.lead!,
          body,
          ctx.get('If-Match'),
          actorOf(principal),
          requestMeta(ctx),
        ),
      ),
    deleteLead: async ({ org, principal, located, ctx }) => {
      await leads.remove(
        requireOrg(org),
        requirePrincipal(principal),
        located.lead!,
        actorOf(principal),
        requestMeta(ctx),
      );
      return { status: 204 };
    },
    getLeadStats: async ({ org, query }) => ({
      status: 200,
      body: await leads.stats(requireOrg(org), query),
    }),
    listLeadScoringRules: async ({ org }) => ({
      status: 200,
      body: await leads.listRules(requireOrg(org)),
    }),
    createLeadScoringRule: async ({ org, principal, body, ctx }) => ({
      status: 201,
      body: await leads.createRule(requireOrg(org), body, actorOf(principal), requestMeta(ctx)),
    }),
    updateLeadScoringRule: async ({ org, principal, params, body, ctx }) => ({
      status: 200,
      body: await leads.updateRule(
        requireOrg(org),
        params.leadScoringRule,
        body,
        actorOf(principal),
        requestMeta(ctx),
      ),
    }),
    deleteLeadScoringRule: async ({ org, principal, params, ctx }) => {
      await leads.deleteRule(
        requireOrg(org),
        params.leadScoringRule,
        actorOf(principal),
        requestMeta(ctx),
      );
      return { status: 204 };
    },
    listLeadStatuses: async ({ org }) => ({
      status: 200,
      body: await leads.listStatuses(requireOrg(org)),
    }),
    createLeadStatus: async ({ org, principal, body, ctx }) => ({
      status: 201,
      body: await leads.createStatus(requireOrg(org), body, actorOf(principal), requestMeta(ctx)),
    }),
    updateLeadStatus: async ({ org, principal, params, body, ctx }) => ({
      status: 200,
      body: await leads.updateStatus(
        requireOrg(org),
        params.leadStatus,
        body,
        actorOf(principal),
        requestMeta(ctx),
      ),
    }),
    deleteLeadStatus: async ({ org, principal, params, ctx }) => {
      await leads.deleteStatus(
        requireOrg(org),
        params.leadStatus,
        actorOf(principal),
        requestMeta(ctx),
      );
      return { status: 204 };
    },
  };
}

type LeadWorkOps = 'bulkUpdateLeads' | 'convertLead';
type LeadFilterOps = 'listLeadFilters' | 'createLeadFilter' | 'deleteLeadFilter';

export function leadWorkHandlers(
  bulk: BulkLeadService,
  conversion: LeadConversionService,
): Pick<Handlers, LeadWorkOps> {
  return {
    bulkUpdateLeads: async (input) => ({
      status: 200,
      body: await bulk.apply(
        requireOrg(input.org),
        requirePrincipal(input.principal),
        input.body,
        change(input),
      ),
    }),
    convertLead: async (input) => ({
      status: 201,
      body: await conversion.convert(
        requireOrg(input.org),
        requirePrincipal(input.principal),
        input.located.lead!,
        input.body,
        change(input),
      ),
    }),
  };
}

export function leadFilterHandlers(filters: LeadFilterService): Pick<Handlers, LeadFilterOps> {
  return {
    listLeadFilters: async ({ org, principal }) => ({
      status: 200,
      body: await filters.list(requireOrg(org), requirePrincipal(principal)),
    }),
    createLeadFilter: async (input) => ({
      status: 201,
      body: await filters.create(
        requireOrg(input.org),
        requirePrincipal(input.principal),
        input.body,
        change(input),
      ),
    }),
    deleteLeadFilter: async (input) => {
      await filters.delete(
        requireOrg(input.org),
        requirePrincipal(input.principal),
        input.params.filter,
        change(input),
      );
      return { status: 204 };
    },
  };
}
