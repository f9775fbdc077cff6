import { actorOf } from '../../context/principal.js';
import type { Handlers } from '../../http/handler-types.js';
import { requestMeta } from '../../lib/events.js';
import { requireOrg } from '../access/authorize.js';
import { requirePrincipal } from '../auth/authenticate.js';
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
  | 'deleteLeadStatus';

export function leadHandlers(leads: LeadService): Pick<Handlers, LeadOps> {
  return {
    listLeads: async ({ org, principal, query }) => ({
      status: 200,
      body: await leads.list(requireOrg(org), requirePrincipal(principal), query),
    }),
    createLead: async ({ org, principal, body, ctx }) => ({
      status: 201,
      body: await leads.create(
        requireOrg(org),
        requirePrincipal(principal),
        body,
        actorOf(principal),
        requestMeta(ctx),
      ),
    }),
    getLead: async ({ org, located }) => ({
      status: 200,
      body: await leads.get(requireOrg(org), located.lead!),
    }),
    updateLead: async ({ org, principal, located, body, ctx }) => ({
      status: 200,
      body: await leads.update(
        requireOrg(org),
        requirePrincipal(principal),
        located.lead!,
        body,
        actorOf(principal),
        requestMeta(ctx),
      ),
    }),
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
