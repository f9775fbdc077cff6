import type { components } from '@pmkit/sdk/schema';
import type { OrgContext } from '../../context/org.js';
import type { ApiKeyPrincipal, Principal } from '../../context/principal.js';
import type { Database } from '../../db/types.js';
import { HttpError, notFound, unauthorized, unprocessable } from '../../http/problem.js';
import { type Actor, type RequestMeta, recordEvent } from '../../lib/events.js';
import { byCreation } from '../../lib/keyset.js';
import type { CachedApiKey, CredentialCache } from '../access/credential-cache.js';
import { roleRank } from '../access/permissions.js';
import { hashToken, newOpaqueToken } from '../auth/tokens.js';
import * as store from './store.js';

type ApiKey = components['schemas']['ApiKey'];
type CreateApiKey = components['schemas']['CreateApiKeyRequest'];

const toApiKey = (row: store.ApiKeyRow): ApiKey => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  scopes: row.scopes as ApiKey['scopes'],
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
  expiresAt: row.expires_at?.toISOString() ?? null,
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
});

const isAdmin = (org: OrgContext) => roleRank(org.role) >= roleRank('admin');

export class ApiKeyService {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
    private readonly cache: CredentialCache,
  ) {}

  /** Admins see every key of the organization; others see their own. */
  async list(org: OrgContext, principal: Principal, query: { limit?: number; cursor?: string }) {
    const keyset = byCreation(query, 'newest');
    const rows = await store.listApiKeys(
      this.db,
      org.id,
      keyset,
      isAdmin(org) ? {} : { createdBy: principal.userId },
    );
    return keyset.page(rows, toApiKey);
  }

  async create(
    org: OrgContext,
    principal: Principal,
    input: CreateApiKey,
    actor: Actor,
    meta: RequestMeta,
  ) {
    if (input.expiresAt && new Date(input.expiresAt) <= this.now()) {
      throw unprocessable('expiresAt is in the past');
    }
    const secret = newOpaqueToken('pmk_');
    const row = await this.db.transaction(async (tx) => {
      const created = await store.insertApiKey(tx, {
        orgId: org.id,
        name: input.name,
        prefix: secret.token.slice(0, 12),
        secretHash: secret.hash,
        scopes: input.scopes,
        createdBy: principal.userId,
        expiresAt: input.expiresAt ?? null,
      });
      await recordEvent(tx, {
        orgId: org.id,
        actor,
        entity: 'api_key',
        entityId: created.id,
        action: 'created',
        changes: { name: input.name, scopes: input.scopes, expiresAt: input.expiresAt ?? null },
        meta,
      });
      return created;
    });
    return { ...toApiKey(row), secret: secret.token };
  }

  async revoke(org: OrgContext, principal: Principal, id: string, actor: Actor, meta: RequestMeta) {
    const change = { kind: 'api-key', id } as const;
    await this.db.transaction(async (tx) => {
      const key = await store.findActive(tx, org.id, id);
      if (!key) throw notFound('No such API key');
      if (key.created_by !== principal.userId && !isAdmin(org)) {
        throw new HttpError(403, "Revoking another member's key needs the Admin role", {
          type: 'missing-permission',
        });
      }
      await store.revoke(tx, org.id, id, this.now());
      await this.cache.announce(tx, change);
      await recordEvent(tx, {
        orgId: org.id,
        actor,
        entity: 'api_key',
        entityId: id,
        action: 'revoked',
        meta,
      });
    });
    await this.cache.forget(change);
  }

  /** Checks a `pmk_` secret; throws 401 `Invalid token` or `Token expired`. */
  async authenticate(secret: string): Promise<ApiKeyPrincipal> {
    const hash = hashToken(secret);
    let key = this.cache.apiKeys.get(hash);
    if (!key) {
      const row = await store.findBySecretHash(this.db, hash);
      if (!row) throw unauthorized('Invalid token');
      key = {
        id: row.id,
        orgId: row.org_id,
        createdBy: row.created_by,
        scopes: row.scopes,
        expiresAt: row.expires_at?.getTime() ?? null,
        lastUsedAt: row.last_used_at?.getTime() ?? null,
      } satisfies CachedApiKey;
      this.cache.apiKeys.set(hash, key);
    }
    const now = this.now();
    if (key.expiresAt !== null && key.expiresAt <= now.getTime())
      throw unauthorized('Token expired');
    // At most once a minute, so a busy key does not cost a write on every request.
    if (key.lastUsedAt === null || now.getTime() - key.lastUsedAt >= 60_000) {
      key.lastUsedAt = now.getTime();
      await store.touch(this.db, key.orgId, key.id, now);
    }
    return {
      kind: 'api_key',
      keyId: key.id,
      orgId: key.orgId,
      userId: key.createdBy,
      scopes: key.scopes,
    };
  }
}
