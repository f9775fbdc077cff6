import type { components } from '@pmkit/sdk/schema';
import type { UserPrincipal } from '../../context/principal.js';
import type { Database, Queryable } from '../../db/types.js';
import { conflict, HttpError, notFound, unauthorized, unprocessable } from '../../http/problem.js';
import type { Clock } from '../../lib/clock.js';
import { type RequestMeta, recordEvent } from '../../lib/events.js';
import { byCreation } from '../../lib/keyset.js';
import type { CredentialCache } from '../access/credential-cache.js';
import type { Notifier } from '../mail/notifier.js';
import { enqueueMail, type Mail } from '../mail/outbox.js';
import { passwordResetMail, verifyEmailMail } from '../mail/templates.js';
import { hashPassword, verifyPassword } from './passwords.js';
import * as store from './store.js';
import { hashToken, newOpaqueToken } from './tokens.js';
import { toUser } from './user.js';

type SessionInfo = components['schemas']['SessionInfo'];

const USER_TOKENS = {
  verify_email: { prefix: 'pmv_', ttlSeconds: 7 * 24 * 60 * 60 },
  reset_password: { prefix: 'pmp_', ttlSeconds: 60 * 60 },
} as const satisfies Record<store.UserTokenPurpose, { prefix: string; ttlSeconds: number }>;

/** Issues a single-use token for `purpose` and queues the mail that carries it, both in `tx`. */
async function mailUserToken(
  tx: Queryable,
  userId: string,
  purpose: store.UserTokenPurpose,
  now: Date,
  mail: (token: string) => Mail,
): Promise<void> {
  const { prefix, ttlSeconds } = USER_TOKENS[purpose];
  const token = newOpaqueToken(prefix);
  await store.insertUserToken(tx, {
    userId,
    hash: token.hash,
    purpose,
    now,
    expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
  });
  await enqueueMail(tx, mail(token.token));
}

/** The account's own upkeep: verification, password change and reset, its sessions. */
export class AccountService {
  constructor(
    private readonly db: Database,
    private readonly mail: Notifier,
    private readonly settings: { publicUrl: string; passwordHashCost: number },
    private readonly cache: CredentialCache,
    private readonly clock: Clock,
  ) {}

  /** A user's address and name, read inside the caller's transaction. */
  async profile(
    q: Queryable,
    userId: string,
  ): Promise<{ email: string; name: string } | undefined> {
    const user = await store.findUserById(q, userId);
    return user && { email: user.email, name: user.name };
  }

  /** Queues the verification mail; call inside the transaction that created or changed the address. */
  async queueVerification(tx: Queryable, user: { id: string; email: string }) {
    await mailUserToken(tx, user.id, 'verify_email', this.clock.now(), (token) =>
      verifyEmailMail({ to: user.email, token, publicUrl: this.settings.publicUrl }),
    );
  }

  async resendVerification(principal: UserPrincipal): Promise<void> {
    await this.db.transaction(async (tx) => {
      const user = await store.findUserById(tx, principal.userId);
      if (!user) throw unauthorized('Invalid token');
      if (user.email_verified_at) throw conflict('This address is already verified');
      await this.queueVerification(tx, user);
    });
    this.mail.nudge();
  }

  async verifyEmail(token: string, meta: RequestMeta) {
    return this.db.transaction(async (tx) => {
      const userId = await store.consumeUserToken(
        tx,
        hashToken(token),
        'verify_email',
        this.clock.now(),
      );
      if (!userId)
        throw unprocessable('This verification token is unknown, used or expired', 'invalid-token');
      const user = await store.markEmailVerified(tx, userId);
      await recordEvent(tx, {
        actor: { kind: 'user', id: userId },
        entity: 'user',
        entityId: userId,
        action: 'email_verified',
        meta,
      });
      return toUser(user!);
    });
  }

  /** Always succeeds from the caller's view, so it cannot tell which addresses have accounts. */
  async requestPasswordReset(email: string, meta: RequestMeta): Promise<void> {
    const queued = await this.db.transaction(async (tx) => {
      const user = await store.findUserByEmail(tx, email);
      if (!user) return false;
      await mailUserToken(tx, user.id, 'reset_password', this.clock.now(), (token) =>
        passwordResetMail({
          to: user.email,
          token,
          publicUrl: this.settings.publicUrl,
          ttlMinutes: USER_TOKENS.reset_password.ttlSeconds / 60,
        }),
      );
      await recordEvent(tx, {
        actor: { kind: 'anonymous', id: null },
        entity: 'user',
        entityId: user.id,
        action: 'password_reset_requested',
        meta,
      });
      return true;
    });
    if (queued) this.mail.nudge();
  }

  async confirmPasswordReset(token: string, password: string, meta: RequestMeta): Promise<void> {
    const passwordHash = await hashPassword(password, this.settings.passwordHashCost);
    const change = await this.db.transaction(async (tx) => {
      const now = this.clock.now();
      const userId = await store.consumeUserToken(tx, hashToken(token), 'reset_password', now);
      if (!userId)
        throw unprocessable('This reset token is unknown, used or expired', 'invalid-token');
      await store.setPassword(tx, userId, passwordHash);
      // Whoever knew the old password is signed out; the mail also proved the address.
      const revoked = await store.revokeSessionsOf(tx, userId, now);
      const change = { kind: 'user-sessions', userId } as const;
      await this.cache.announce(tx, change);
      await store.markEmailVerified(tx, userId);
      await recordEvent(tx, {
        actor: { kind: 'user', id: userId },
        entity: 'user',
        entityId: userId,
        action: 'password_reset',
        changes: { sessionsRevoked: revoked },
        meta,
      });
      return change;
    });
    await this.cache.forget(change);
  }

  async changePassword(
    principal: UserPrincipal,
    input: { currentPassword: string; newPassword: string },
    meta: RequestMeta,
  ) {
    const user = await store.findUserById(this.db, principal.userId);
    if (!user) throw unauthorized('Invalid token');
    if (!(await verifyPassword(input.currentPassword, user.password_hash))) {
      throw new HttpError(422, 'The current password is wrong', {
        errors: [{ path: '/body/currentPassword', message: 'is wrong' }],
      });
    }
    const passwordHash = await hashPassword(input.newPassword, this.settings.passwordHashCost);
    const change = {
      kind: 'user-sessions',
      userId: principal.userId,
      except: principal.sessionId,
    } as const;
    await this.db.transaction(async (tx) => {
      await store.setPassword(tx, principal.userId, passwordHash);
      const revoked = await store.revokeSessionsOf(
        tx,
        principal.userId,
        this.clock.now(),
        principal.sessionId,
      );
      await this.cache.announce(tx, change);
      await recordEvent(tx, {
        actor: { kind: 'user', id: principal.userId },
        entity: 'user',
        entityId: principal.userId,
        action: 'password_changed',
        changes: { sessionsRevoked: revoked },
        meta,
      });
    });
    await this.cache.forget(change);
  }

  async listSessions(principal: UserPrincipal, query: { limit?: number; cursor?: string }) {
    const keyset = byCreation(query, 'newest');
    const rows = await store.listSessions(this.db, principal.userId, keyset);
    return keyset.page(
      rows,
      (row): SessionInfo => ({
        id: row.id,
        createdAt: row.created_at.toISOString(),
        lastUsedAt: row.last_used_at.toISOString(),
        userAgent: row.user_agent || null,
        ip: row.ip,
        current: row.id === principal.sessionId,
      }),
    );
  }

  async revokeSession(
    principal: UserPrincipal,
    sessionId: string,
    meta: RequestMeta,
  ): Promise<void> {
    const change = { kind: 'session', id: sessionId } as const;
    await this.db.transaction(async (tx) => {
      if (!(await store.revokeSessionOf(tx, principal.userId, sessionId, this.clock.now())))
        throw notFound('No such session');
      await this.cache.announce(tx, change);
      await recordEvent(tx, {
        actor: { kind: 'user', id: principal.userId },
        entity: 'session',
        entityId: sessionId,
        action: 'revoked',
        meta,
      });
    });
    await this.cache.forget(change);
  }
}
