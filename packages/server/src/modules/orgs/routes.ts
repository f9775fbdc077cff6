import { actorOf } from '../../context/principal.js';
import type { Handlers } from '../../http/handler-types.js';
import { requestMeta } from '../../lib/events.js';
import { requireOrg } from '../access/authorize.js';
import { requirePrincipal, requireUser } from '../auth/authenticate.js';
import type { OrgService } from './service.js';

export function orgHandlers(
  orgs: OrgService,
): Pick<Handlers, 'listOrgs' | 'createOrg' | 'getOrg' | 'getCurrentOrg' | 'updateOrg'> {
  return {
    listOrgs: async ({ principal, query }) => ({
      status: 200,
      body: await orgs.list(requirePrincipal(principal), query),
    }),
    createOrg: async ({ principal, body, ctx }) => ({
      status: 201,
      body: await orgs.create(requireUser(principal), body, requestMeta(ctx)),
    }),
    getOrg: async ({ org }) => ({ status: 200, body: orgs.view(requireOrg(org)) }),
    getCurrentOrg: async ({ org }) => ({ status: 200, body: orgs.view(requireOrg(org)) }),
    updateOrg: async ({ org, principal, body, ctx }) => ({
      status: 200,
      body: await orgs.update(requireOrg(org), body, actorOf(principal), requestMeta(ctx)),
    }),
  };
}
