import { randomUUID } from 'node:crypto';
import type { OrgContext } from '../../context/org.js';
import type { Database, Queryable } from '../../db/types.js';
import type { Clock } from '../../lib/clock.js';
import { TtlCache } from '../../lib/ttl-cache.js';

/** The PostgreSQL channel instances tell each other what to forget on. */
export const CREDENTIALS_CHANNEL = 'pmkit_credentials';

/** How long a revocation waits to hear its own notice come back before answering anyway. */
const ECHO_TIMEOUT_MS = 1000;

/** What changed, so caches forget it: a revoked session or key, a member's role, an org's slug. */
export type Invalidation =
  | { kind: 'session'; id: string }
  | { kind: 'user-sessions'; userId: string; except?: string }
  | { kind: 'api-key'; id: string }
  | { kind: 'member'; orgId: string; userId: string }
  | { kind: 'org'; orgId: string };

/** An API key as its checks need it; expiry is compared with the clock on every use. */
export interface CachedApiKey {
  id: string;
  orgId: string;
  createdBy: string;
  scopes: string[];
  expiresAt: number | null;
  /** When its last use was recorded (ms), or null. */
  lastUsedAt: number | null;
}

/**
 * Sessions, API keys and memberships seen in the last few seconds, per instance, so an
 * authenticated read costs no query but its own. Every change that ends a credential announces
 * itself in its transaction (PostgreSQL NOTIFY, delivered at commit to every instance) and
 * forgets it here after the commit, so revocation takes effect at once everywhere. Only what
 * exists is cached: a refusal is never remembered.
 *
 * PostgreSQL signals every listener at commit; the revoking request still waits until its own
 * notice comes back through the queue, so that by the time its caller hears "done" the other
 * instances have been told too.
 */
export class CredentialCache {
  /** Session id → its user. */
  readonly sessions: TtlCache<string, string>;
  /** Secret hash → key. */
  readonly apiKeys: TtlCache<string, CachedApiKey>;
  /** `userId org-ref` → the org with the user's role. */
  readonly memberships: TtlCache<string, { userId: string; org: OrgContext }>;
  /** Changes announced by this instance, until their notice comes back (by nonce). */
  private readonly echoes = new Map<string, { heard: Promise<void>; resolve: () => void }>();
  private readonly nonces = new WeakMap<Invalidation, string>();
  private listening = false;

  constructor(
    clock: Clock,
    private readonly options: { crossInstance: boolean; ttlMs?: number; maxEntries?: number },
  ) {
    const ttl = options.ttlMs ?? 5_000;
    const max = options.maxEntries ?? 10_000;
    this.sessions = new TtlCache(clock, ttl, max);
    this.apiKeys = new TtlCache(clock, ttl, max);
    this.memberships = new TtlCache(clock, ttl, max);
  }

  static membershipKey(userId: string, ref: string): string {
    return `${userId} ${ref}`;
  }

  /** Call inside the transaction that makes the change: other instances hear of it at commit. */
  async announce(tx: Queryable, change: Invalidation): Promise<void> {
    if (!this.options.crossInstance) return;
    const nonce = randomUUID();
    if (this.listening) {
      let resolve = () => {};
      const heard = new Promise<void>((done) => {
        resolve = done;
        // Rolled back, or the listener is down: stop waiting.
        setTimeout(done, ECHO_TIMEOUT_MS).unref();
      }).finally(() => this.echoes.delete(nonce));
      this.echoes.set(nonce, { heard, resolve });
      this.nonces.set(change, nonce);
    }
    await tx.query('SELECT pg_notify($1, $2)', [
      CREDENTIALS_CHANNEL,
      JSON.stringify({ ...change, nonce }),
    ]);
  }

  /** Call after the commit: forgets what the change ended here, then waits for the others. */
  async forget(change: Invalidation): Promise<void> {
    this.apply(change);
    const nonce = this.nonces.get(change);
    if (nonce) await this.echoes.get(nonce)?.heard;
  }

  /** Forgets what a change ended, in this instance. */
  apply(change: Invalidation): void {
    switch (change.kind) {
      case 'session':
        this.sessions.delete(change.id);
        break;
      case 'user-sessions':
        this.sessions.deleteWhere(
          (userId, sessionId) => userId === change.userId && sessionId !== change.except,
        );
        break;
      case 'api-key':
        this.apiKeys.deleteWhere((key) => key.id === change.id);
        break;
      case 'member':
        this.memberships.deleteWhere(
          (entry) => entry.org.id === change.orgId && entry.userId === change.userId,
        );
        this.apiKeys.deleteWhere(
          (key) => key.orgId === change.orgId && key.createdBy === change.userId,
        );
        break;
      case 'org':
        this.memberships.deleteWhere((entry) => entry.org.id === change.orgId);
        break;
    }
  }

  clear(): void {
    this.sessions.clear();
    this.apiKeys.clear();
    this.memberships.clear();
  }

  /**
   * Hears other instances' changes (PostgreSQL LISTEN). When the listening connection was lost,
   * notices may have been missed: everything is forgotten.
   */
  async listen(db: Database): Promise<() => Promise<void>> {
    if (!this.options.crossInstance || !db.listen) return async () => {};
    const stop = await db.listen(CREDENTIALS_CHANNEL, {
      onMessage: (payload) => {
        try {
          const change = JSON.parse(payload) as Invalidation & { nonce?: string };
          this.apply(change);
          if (change.nonce) this.echoes.get(change.nonce)?.resolve();
        } catch {
          this.clear();
        }
      },
      onGap: () => this.clear(),
    });
    this.listening = true;
    return async () => {
      this.listening = false;
      await stop();
    };
  }
}
