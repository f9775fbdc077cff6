import type { Handlers } from '../../http/handler-types.js';
import { holdsSecret } from '../../http/idempotency.js';
import { HttpError } from '../../http/problem.js';
import type { RateLimits } from '../../http/rate-limit.js';
import { normalizeEmail } from '../../lib/email.js';
import { requestMeta } from '../../lib/events.js';
import type { AccountService } from './account-service.js';
import { requirePrincipal, requireUser } from './authenticate.js';
import type { AuthService } from './service.js';

type AuthOperations =
  | 'register'
  | 'login'
  | 'refreshSession'
  | 'logout'
  | 'getMe'
  | 'updateMe'
  | 'requestPasswordReset'
  | 'confirmPasswordReset'
  | 'verifyEmail'
  | 'resendVerificationEmail'
  | 'changePassword'
  | 'listSessions'
  | 'revokeSession';

export function authHandlers(
  auth: AuthService,
  account: AccountService,
  limits: RateLimits,
): Pick<Handlers, AuthOperations> {
  return {
    register: async ({ body, ctx }) => {
      await limits.consume('registerByIp', ctx.ip, ctx);
      holdsSecret(ctx);
      return { status: 201, body: await auth.register(body, requestMeta(ctx)) };
    },
    login: async ({ body, ctx }) => {
      const account = normalizeEmail(body.email);
      await limits.consume('loginByIp', ctx.ip, ctx);
      await limits.ensureAvailable('loginFailures', account, ctx);
      try {
        const session = await auth.login(body, requestMeta(ctx));
        await limits.clear('loginFailures', account);
        return { status: 200, body: session };
      } catch (error) {
        if (error instanceof HttpError && error.status === 401)
          await limits.penalise('loginFailures', account);
        throw error;
      }
    },
    refreshSession: async ({ body, ctx }) => {
      holdsSecret(ctx);
      return { status: 200, body: await auth.refresh(body.refreshToken, requestMeta(ctx)) };
    },
    logout: async ({ principal, ctx }) => {
      await auth.logout(requireUser(principal), requestMeta(ctx));
      return { status: 204 };
    },
    getMe: async ({ principal }) => ({
      status: 200,
      body: await auth.me(requirePrincipal(principal)),
    }),
    updateMe: async ({ principal, body, ctx }) => ({
      status: 200,
      body: await auth.updateMe(requireUser(principal), body, requestMeta(ctx)),
    }),
    requestPasswordReset: async ({ body, ctx }) => {
      await limits.consume('resetByIp', ctx.ip, ctx);
      await limits.consume('resetByAccount', normalizeEmail(body.email), ctx);
      await account.requestPasswordReset(body.email, requestMeta(ctx));
      return { status: 202 };
    },
    confirmPasswordReset: async ({ body, ctx }) => {
      await limits.consume('resetByIp', ctx.ip, ctx);
      await account.confirmPasswordReset(body.token, body.password, requestMeta(ctx));
      return { status: 204 };
    },
    verifyEmail: async ({ body, ctx }) => ({
      status: 200,
      body: await account.verifyEmail(body.token, requestMeta(ctx)),
    }),
    resendVerificationEmail: async ({ principal }) => {
      await account.resendVerification(requireUser(principal));
      return { status: 202 };
    },
    changePassword: async ({ principal, body, ctx }) => {
      await account.changePassword(requireUser(principal), body, requestMeta(ctx));
      return { status: 204 };
    },
    listSessions: async ({ principal, query }) => ({
      status: 200,
      body: await account.listSessions(requireUser(principal), query),
    }),
    revokeSession: async ({ principal, params, ctx }) => {
      await account.revokeSession(requireUser(principal), params.session, requestMeta(ctx));
      return { status: 204 };
    },
  };
}
