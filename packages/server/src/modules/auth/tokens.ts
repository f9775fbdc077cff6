import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Database } from '../../db/types.js';
import { unauthorized } from '../../http/problem.js';
import type { Clock } from '../../lib/clock.js';
import { TtlCache } from '../../lib/ttl-cache.js';

const ISSUER = 'pmkit';

export interface AccessClaims {
  userId: string;
  sessionId: string;
}

/** Signs and verifies access tokens with a key shared by every instance (kept in `settings`). */
export class AccessTokens {
  /** Imported once: jose would otherwise import a raw secret again on every sign and verify. */
  private key: Promise<webcrypto.CryptoKey> | undefined;
  /**
   * Tokens whose signature was checked in the last minute, with their expiry: a token is
   * immutable, so checking its HMAC again (WebCrypto, the dearest step of a cached read) on each
   * of a client's requests proves nothing new. Expiry is still checked against the clock.
   */
  private readonly verified: TtlCache<string, AccessClaims & { expiresAt: number }>;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
    private readonly configuredSecret: string | undefined,
  ) {
    this.verified = new TtlCache(clock, 60_000, 10_000);
  }

  get expiresIn(): number {
    return this.ttlSeconds;
  }

  async sign(claims: AccessClaims): Promise<string> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    return new SignJWT({ sid: claims.sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setSubject(claims.userId)
      .setIssuedAt(now)
      .setExpirationTime(now + this.ttlSeconds)
      .sign(await this.signingKey());
  }

  /** Throws 401 `Token expired` or `Invalid token`; `alg: none` and other algorithms are refused. */
  async verify(token: string): Promise<AccessClaims> {
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAt <= this.clock.now().getTime()) throw unauthorized('Token expired');
      return { userId: known.userId, sessionId: known.sessionId };
    }
    try {
      const { payload } = await jwtVerify(token, await this.signingKey(), {
        algorithms: ['HS256'],
        issuer: ISSUER,
        currentDate: this.clock.now(),
      });
      if (
        typeof payload.sub !== 'string' ||
        typeof payload.sid !== 'string' ||
        typeof payload.exp !== 'number'
      )
        throw unauthorized('Invalid token');
      const claims = { userId: payload.sub, sessionId: payload.sid };
      this.verified.set(token, { ...claims, expiresAt: payload.exp * 1000 });
      return claims;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw unauthorized('Token expired');
      throw unauthorized('Invalid token');
    }
  }

  private signingKey(): Promise<webcrypto.CryptoKey> {
    this.key ??= this.loadKey()
      .then((secret) =>
        webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, [
          'sign',
          'verify',
        ]),
      )
      .catch((error) => {
        this.key = undefined;
        throw error;
      });
    return this.key;
  }

  private async loadKey(): Promise<Uint8Array> {
    if (this.configuredSecret) return new TextEncoder().encode(this.configuredSecret);
    await this.db.query(
      `INSERT INTO settings (key, value) VALUES ('jwt_secret', $1) ON CONFLICT (key) DO NOTHING`,
      [randomBytes(32).toString('base64url')],
    );
    const { rows } = await this.db.query<{ value: string }>(
      `SELECT value FROM settings WHERE key = 'jwt_secret'`,
    );
    return Buffer.from(rows[0]!.value, 'base64url');
  }
}

/** An opaque secret with a recognisable prefix; only its hash is stored. */
export function newOpaqueToken(prefix: string): { token: string; hash: string } {
  const token = `${prefix}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
