import type { Session } from '../credentials.js';
import type {
  LoginRequest,
  PasswordResetConfirm,
  RegisterRequest,
  User,
  WriteOptions,
} from '../types.js';
import { data, idempotency, type ResourceContext } from './shared.js';

export interface AuthResource {
  /** Creates an account and signs in; pass `invitationToken` on invitation-only servers. */
  register(body: RegisterRequest, options?: WriteOptions): Promise<Session>;
  login(body: LoginRequest): Promise<Session>;
  refresh(refreshToken: string): Promise<Session>;
  logout(): Promise<void>;
  /** Mails a reset token if an account has this address; the answer never says whether one does. */
  requestPasswordReset(email: string): Promise<void>;
  /** Sets a new password with a mailed reset token; every session of the account is signed out. */
  confirmPasswordReset(body: PasswordResetConfirm): Promise<void>;
  /** Confirms the e-mail address the token was mailed to. */
  verifyEmail(token: string): Promise<User>;
  /** Mails the signed-in user a new verification token. */
  resendVerificationEmail(): Promise<void>;
}

export function authResource({ raw, adopt, clear }: ResourceContext): AuthResource {
  return {
    register: async (body, options) =>
      adopt(data(await raw.POST('/v1/auth/register', { body, headers: idempotency(options) }))),
    login: async (body) => adopt(data(await raw.POST('/v1/auth/login', { body }))),
    refresh: async (refreshToken) =>
      adopt(data(await raw.POST('/v1/auth/refresh', { body: { refreshToken } }))),
    async logout() {
      await raw.POST('/v1/auth/logout');
      clear();
    },
    async requestPasswordReset(email) {
      await raw.POST('/v1/auth/password-reset', { body: { email } });
    },
    async confirmPasswordReset(body) {
      await raw.POST('/v1/auth/password-reset/confirm', { body });
    },
    verifyEmail: async (token) =>
      data(await raw.POST('/v1/auth/verify-email', { body: { token } })),
    async resendVerificationEmail() {
      await raw.POST('/v1/auth/verify-email/resend');
    },
  };
}
