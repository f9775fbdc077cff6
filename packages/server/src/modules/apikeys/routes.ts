import { actorOf } from '../../context/principal.js';
import type { Handlers } from '../../http/handler-types.js';
import { holdsSecret } from '../../http/idempotency.js';
import { requestMeta } from '../../lib/events.js';
import { requireOrg } from '../access/authorize.js';
import { requirePrincipal } from '../auth/authenticate.js';
import type { ApiKeyService } from './service.js';

export function apiKeyHandlers(
  apiKeys: ApiKeyService,
): Pick<Handlers, 'listApiKeys' | 'createApiKey' | 'revokeApiKey'> {
  return {
    listApiKeys: async ({ org, principal, query }) => ({
      status: 200,
      body: await apiKeys.list(requireOrg(org), requirePrincipal(principal), query),
    }),
    createApiKey: async ({ org, principal, body, ctx }) => {
      holdsSecret(ctx);
      return {
        status: 201,
        body: await apiKeys.create(
          requireOrg(org),
          requirePrincipal(principal),
          body,
          actorOf(principal),
          requestMeta(ctx),
        ),
      };
    },
    revokeApiKey: async ({ org, principal, params, ctx }) => {
      await apiKeys.revoke(
        requireOrg(org),
        requirePrincipal(principal),
        params.key,
        actorOf(principal),
        requestMeta(ctx),
      );
      return { status: 204 };
    },
  };
}
