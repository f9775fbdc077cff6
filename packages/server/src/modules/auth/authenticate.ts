import type { Principal, UserPrincipal } from '../../context/principal.js';
import type { OperationMiddlewareFactory } from '../../http/contract-router.js';
import { forbidden, unauthorized } from '../../http/problem.js';
import type { ApiKeyService } from '../apikeys/service.js';
import type { AuthService } from './service.js';

/** The router stage that checks `Authorization: Bearer` on every non-public operation. */
export function authenticate(
  auth: AuthService,
  apiKeys: ApiKeyService,
): OperationMiddlewareFactory {
  return (op) => {
    if (op.public) return undefined;
    return async function authenticate(ctx, next) {
      const header = ctx.get('Authorization');
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!header)
        throw unauthorized('Authentication required: send Authorization: Bearer <token>');
      if (!match) throw unauthorized('Invalid token');
      const bearer = match[1]!;
      ctx.state.principal = bearer.startsWith('pmk_')
        ? await apiKeys.authenticate(bearer)
        : await auth.authenticate(bearer);
      await next();
    };
  };
}

/** For handlers of non-public operations, where the stage above has set the principal. */
export function requirePrincipal(principal: Principal | null): Principal {
  if (!principal) throw unauthorized('Authentication required');
  return principal;
}

/** For operations only a person may call (OPERATION_ACCESS keeps API keys out already). */
export function requireUser(principal: Principal | null): UserPrincipal {
  const checked = requirePrincipal(principal);
  if (checked.kind !== 'user') throw forbidden('API keys cannot do this; sign in as a person');
  return checked;
}
