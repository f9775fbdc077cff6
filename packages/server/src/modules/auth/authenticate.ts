import type { OperationMiddlewareFactory } from '../../http/contract-router.js';
import { unauthorized } from '../../http/problem.js';
import type { Principal } from './principal.js';
import type { AuthService } from './service.js';

/** The router stage that checks `Authorization: Bearer` on every non-public operation. */
export function authenticate(auth: AuthService): OperationMiddlewareFactory {
  return (op) => {
    if (op.public) return undefined;
    return async function authenticate(ctx, next) {
      const header = ctx.get('Authorization');
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!header)
        throw unauthorized('Authentication required: send Authorization: Bearer <token>');
      if (!match) throw unauthorized('Invalid token');
      ctx.state.principal = await auth.authenticate(match[1]!);
      await next();
    };
  };
}

/** For handlers of non-public operations, where the stage above has set the principal. */
export function requirePrincipal(principal: Principal | null): Principal {
  if (!principal) throw unauthorized('Authentication required');
  return principal;
}
