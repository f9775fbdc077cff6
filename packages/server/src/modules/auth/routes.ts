import type { Handlers } from '../../http/handler-types.js';
import { requestMeta } from '../../lib/events.js';
import { requirePrincipal } from './authenticate.js';
import type { AuthService } from './service.js';

export function authHandlers(
  auth: AuthService,
): Pick<Handlers, 'register' | 'login' | 'refreshSession' | 'logout' | 'getMe' | 'updateMe'> {
  return {
    register: async ({ body, ctx }) => ({
      status: 201,
      body: await auth.register(body, requestMeta(ctx)),
    }),
    login: async ({ body, ctx }) => ({
      status: 200,
      body: await auth.login(body, requestMeta(ctx)),
    }),
    refreshSession: async ({ body, ctx }) => ({
      status: 200,
      body: await auth.refresh(body.refreshToken, requestMeta(ctx)),
    }),
    logout: async ({ principal, ctx }) => {
      await auth.logout(requirePrincipal(principal), requestMeta(ctx));
      return { status: 204 };
    },
    getMe: async ({ principal }) => ({
      status: 200,
      body: await auth.me(requirePrincipal(principal)),
    }),
    updateMe: async ({ principal, body, ctx }) => ({
      status: 200,
      body: await auth.updateMe(requirePrincipal(principal), body, requestMeta(ctx)),
    }),
  };
}
