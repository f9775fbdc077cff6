import type { components } from '@pmkit/sdk/schema';
import type { Principal, UserPrincipal } from '../../context/principal.js';
import type { Database, Queryable } from '../../db/types.js';
import { conflict, forbidden, HttpError, unauthorized, unprocessable } from '../../http/problem.js';
import type { Clock } from '../../lib/clock.js';
import { type RequestMeta, recordEvent } from '../../lib/events.js';
import { isTimeZone } from '../../lib/time-zone.js';
import type { CredentialCache, Invalidation } from '../access/credential-cache.js';
import type { InvitationService } from '../invitations/service.js';
import type { Notifier } from '../mail/notifier.js';
import type { AccountService } from './account-service.js';
import { dummyHash, hashPassword, verifyPassword } from './passwords.js';
import * as store from './store.js';
import { type AccessTokens, hashToken, newOpaqueToken } from './tokens.js';
import { toUser } from './user.js';

type User = components['schemas']['User'];
type Session = components['schemas']['Session'];
type UpdateMe = components['schemas']['UpdateMeRequest'];

interface Grant {
  user: store.UserRow;
  sessionId: string;
  refreshToken: string;
}

export interface AuthSettings {
  registration: 'open' | 'invite' | 'closed';
  passwordHashCost: number;
  refreshTokenTtlSeconds: number;
}

export class AuthService {
  private dummy: Promise<string> | undefined;

  constructor(
    private readonly db: Database,
    private readonly tokens: AccessTokens,
    private readonly settings: AuthSettings,
    private readonly collaborators: {
      account: AccountService;
      invitations: Pick<InvitationService, 'isValidFor'>;
      mail: Notifier;
      cache: CredentialCache;
      clock: Clock;
    },
  ) {}

  async register(
    input: { email: string; password: string; name: string; invitationToken?: string },
    meta: RequestMeta,
  ): Promise<Session> {
    const { registration } = this.settings;
    if (registration === 'closed') throw forbidden('Registration on this server is closed');
    if (registration === 'invite' && (await store.anyUserExists(this.db))) {
      const invited =
        input.invitationToken !== undefined &&
        (await this.collaborators.invitations.isValidFor(input.invitationToken, input.email));
      if (!invited) {
        throw forbidden(
          'Registration on this server is by invitation only: pass the invitation token you were mailed',
        );
      }
    }
    const passwordHash = await hashPassword(input.password, this.settings.passwordHashCost);
    const grant = await this.db.transaction(async (tx) => {
      const row = await store.insertUser(tx, { ...input, passwordHash });
      if (!row) {
        throw conflict('An account with this e-mail address already exists', 'email-taken');
      }
      await recordEvent(tx, {
        actor: { kind: 'user', id: row.id },
        entity: 'user',
        entityId: row.id,
        action: 'registered',
        meta,
      });
      await this.collaborators.account.queueVerification(tx, row);
      return this.startSession(tx, row, meta);
    });
    this.collaborators.mail.nudge();
    return this.toSession(grant);
  }

  async login(input: { email: string; password: string }, meta: RequestMeta): Promise<Session> {
    const row = await store.findUserByEmail(this.db, input.email);
    this.dummy ??= dummyHash(this.settings.passwordHashCost);
    const ok = await verifyPassword(input.password, row?.password_hash ?? (await this.dummy));
    if (!row || !ok) {
      await recordEvent(this.db, {
        actor: row ? { kind: 'user', id: row.id } : { kind: 'anonymous', id: null },
        entity: 'session',
        action: 'login_failed',
        changes: { email: input.email },
        meta,
      });
      throw new HttpError(401, 'Wrong e-mail address or password', { type: 'invalid-credentials' });
    }
    const grant = await this.db.transaction(async (tx) => {
      const granted = await this.startSession(tx, row, meta);
      await recordEvent(tx, {
        actor: { kind: 'user', id: row.id },
        entity: 'session',
        action: 'login',
        meta,
      });
      return granted;
    });
    return this.toSession(grant);
  }

  /** Rotates a refresh token; a second use of one revokes its whole session (token family). */
  async refresh(refreshToken: string, meta: RequestMeta): Promise<Session> {
    const hash = hashToken(refreshToken);
    let revoked: Invalidation | undefined;
    const outcome = await this.db.transaction(
      async (tx): Promise<{ error: 'Invalid token' | 'Token expired' } | { grant: Grant }> => {
        const now = this.collaborators.clock.now();
        const state = await store.lockRefreshToken(tx, hash, now);
        if (!state || state.revoked) return { error: 'Invalid token' };
        if (state.used) {
          await store.revokeSession(tx, state.session_id, now);
          revoked = { kind: 'session', id: state.session_id };
          await this.collaborators.cache.announce(tx, revoked);
          await recordEvent(tx, {
            actor: { kind: 'user', id: state.user_id },
            entity: 'session',
            entityId: state.session_id,
            action: 'refresh_token_reused',
            meta,
          });
          return { error: 'Invalid token' };
        }
        if (state.expired) return { error: 'Token expired' };
        await store.markRefreshTokenUsed(tx, hash, now);
        await store.touchSession(tx, state.session_id, now);
        const user = await store.findUserById(tx, state.user_id);
        if (!user) return { error: 'Invalid token' };
        return { grant: await this.issueRefreshToken(tx, user, state.session_id) };
      },
    );
    if (revoked) await this.collaborators.cache.forget(revoked);
    if ('error' in outcome) throw unauthorized(outcome.error);
    return this.toSession(outcome.grant);
  }

  async logout(principal: UserPrincipal, meta: RequestMeta): Promise<void> {
    const change = { kind: 'session', id: principal.sessionId } as const;
    await this.db.transaction(async (tx) => {
      await store.revokeSession(tx, principal.sessionId, this.collaborators.clock.now());
      await this.collaborators.cache.announce(tx, change);
      await recordEvent(tx, {
        actor: { kind: 'user', id: principal.userId },
        entity: 'session',
        entityId: principal.sessionId,
        action: 'logout',
        meta,
      });
    });
    await this.collaborators.cache.forget(change);
  }

  /** Checks an access token; throws 401 with the exact detail the contract promises. */
  async authenticate(bearer: string): Promise<UserPrincipal> {
    const claims = await this.tokens.verify(bearer);
    const { sessions } = this.collaborators.cache;
    if (sessions.get(claims.sessionId) !== claims.userId) {
      if (!(await store.isSessionActive(this.db, claims.sessionId, claims.userId))) {
        throw unauthorized('Invalid token');
      }
      sessions.set(claims.sessionId, claims.userId);
    }
    return { kind: 'user', userId: claims.userId, sessionId: claims.sessionId };
  }

  async me(principal: Principal): Promise<User> {
    const row = await store.findUserById(this.db, principal.userId);
    if (!row) throw unauthorized('Invalid token');
    return toUser(row);
  }

  async updateMe(principal: Principal, patch: UpdateMe, meta: RequestMeta): Promise<User> {
    if (patch.timezone !== undefined && !isTimeZone(patch.timezone)) {
      throw new HttpError(422, `Unknown time zone ${patch.timezone}`, {
        errors: [
          {
            path: '/body/timezone',
            message: 'must be an IANA time zone name, such as Europe/Berlin',
          },
        ],
      });
    }
    return this.db.transaction(async (tx) => {
      const row = await store.updateUser(tx, principal.userId, patch);
      if (!row) throw unprocessable('The account no longer exists');
      await recordEvent(tx, {
        actor: { kind: 'user', id: principal.userId },
        entity: 'user',
        entityId: principal.userId,
        action: 'updated',
        changes: { fields: Object.keys(patch) },
        meta,
      });
      return toUser(row);
    });
  }

  private async startSession(
    tx: Queryable,
    user: store.UserRow,
    meta: RequestMeta,
  ): Promise<Grant> {
    const sessionId = await store.insertSession(tx, {
      userId: user.id,
      userAgent: meta.userAgent,
      ip: meta.ip,
    });
    return this.issueRefreshToken(tx, user, sessionId);
  }

  private async issueRefreshToken(
    tx: Queryable,
    user: store.UserRow,
    sessionId: string,
  ): Promise<Grant> {
    const refresh = newOpaqueToken('pmr_');
    const now = this.collaborators.clock.now().getTime();
    await store.insertRefreshToken(tx, {
      sessionId,
      hash: refresh.hash,
      expiresAt: new Date(now + this.settings.refreshTokenTtlSeconds * 1000),
    });
    return { user, sessionId, refreshToken: refresh.token };
  }

  /** Signs the access token after the transaction: PGlite is one connection, and signing may read the key. */
  private async toSession(grant: Grant): Promise<Session> {
    return {
      accessToken: await this.tokens.sign({ userId: grant.user.id, sessionId: grant.sessionId }),
      refreshToken: grant.refreshToken,
      expiresIn: this.tokens.expiresIn,
      tokenType: 'Bearer',
      user: toUser(grant.user),
    };
  }
}
