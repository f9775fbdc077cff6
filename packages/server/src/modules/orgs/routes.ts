import type { Handlers } from '../../http/handler-types.js';
import { requestMeta } from '../../lib/events.js';
import { requirePrincipal } from '../auth/authenticate.js';
import type { OrgService } from './service.js';

export function orgHandlers(orgs: OrgService): Pick<Handlers, 'listOrgs' | 'createOrg' | 'getOrg'> {
  return {
    listOrgs: async ({ principal, query }) => ({
      status: 200,
      body: await orgs.list(requirePrincipal(principal), query),
    }),
    createOrg: async ({ principal, body, ctx }) => ({
      status: 201,
      body: await orgs.create(requirePrincipal(principal), body, requestMeta(ctx)),
    }),
    getOrg: async ({ principal, params }) => ({
      status: 200,
      body: await orgs.get(requirePrincipal(principal), params.org),
    }),
  };
}
