import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import type { Database } from '../db/types.js';
import type { Clock } from '../lib/clock.js';
import type { OperationMiddlewareFactory } from './contract-router.js';
import { HttpError } from './problem.js';

const REPLAYED_HEADERS = ['content-type', 'location', 'etag'];
// A request that started this long ago without finishing died with its server; its key is free.
const ABANDONED_AFTER_SECONDS = 60;

interface StoredResponse {
  request_hash: string;
  redacted: boolean;
  status: number | null;
  headers: Record<string, string> | null;
  body: string | null;
}

function fingerprint(ctx: Context): string {
  return createHash('sha256')
    .update(`${ctx.method} ${ctx.path}\n${JSON.stringify(ctx.state.body ?? null)}`)
    .digest('hex');
}

/**
 * `Idempotency-Key` on every write whose contract declares it: the first response is kept for
 * `ttlHours` and replayed to retries with the same body; the key with another body is a 422.
 */
export function idempotency(
  db: Database,
  ttlHours: number,
  clock: Clock,
): OperationMiddlewareFactory {
  return (op) => {
    if (
      !op.parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key')
    ) {
      return undefined;
    }
    return async function idempotency(ctx, next) {
      const key = ctx.get('Idempotency-Key');
      if (!key) return next();
      const scope = ctx.state.principal?.userId ?? 'anonymous';
      const hash = fingerprint(ctx);
      const now = clock.now();

      // Claim the key: a new row, or one whose 24 h are over or whose request died mid-way.
      const claimed = await db.query(
        `INSERT INTO idempotency_keys (scope, key, method, path, request_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $8)
         ON CONFLICT (scope, key) DO UPDATE SET
           method = EXCLUDED.method, path = EXCLUDED.path, request_hash = EXCLUDED.request_hash,
           status = NULL, headers = NULL, body = NULL, redacted = false,
           created_at = $8, completed_at = NULL
         WHERE idempotency_keys.created_at < $8::timestamptz - make_interval(hours => $6)
            OR (idempotency_keys.completed_at IS NULL
                AND idempotency_keys.created_at < $8::timestamptz - make_interval(secs => $7))
         RETURNING 1`,
        [scope, key, ctx.method, ctx.path, hash, ttlHours, ABANDONED_AFTER_SECONDS, now],
      );
      if (claimed.rows.length === 0) return replay(ctx, db, scope, key, hash);

      try {
        await next();
      } catch (error) {
        await db.query('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2', [scope, key]);
        throw error;
      }
      const headers = Object.fromEntries(
        REPLAYED_HEADERS.flatMap((name) => {
          const value = ctx.response.get(name);
          return value ? [[name, value]] : [];
        }),
      );
      // A secret (tokens, an API key's) must not sit in this table: keep only that it succeeded.
      const redacted = ctx.state.responseHoldsSecret === true;
      await db.query(
        `UPDATE idempotency_keys SET status = $3, headers = $4, body = $5, redacted = $6, completed_at = $7
         WHERE scope = $1 AND key = $2`,
        [
          scope,
          key,
          ctx.status,
          JSON.stringify(headers),
          ctx.body == null || redacted ? null : JSON.stringify(ctx.body),
          redacted,
          clock.now(),
        ],
      );
    };
  };
}

async function replay(ctx: Context, db: Database, scope: string, key: string, hash: string) {
  const { rows } = await db.query<StoredResponse>(
    'SELECT request_hash, redacted, status, headers, body FROM idempotency_keys WHERE scope = $1 AND key = $2',
    [scope, key],
  );
  const stored = rows[0];
  if (stored && stored.request_hash !== hash) {
    throw new HttpError(422, 'This Idempotency-Key was already used with a different request', {
      type: 'idempotency-key-reused',
    });
  }
  if (!stored || stored.status === null) {
    throw new HttpError(
      409,
      'A request with this Idempotency-Key is still in progress; retry shortly',
      {
        type: 'idempotency-key-in-progress',
        headers: { 'Retry-After': '1' },
      },
    );
  }
  if (stored.redacted) {
    throw new HttpError(
      409,
      `This request already succeeded (${stored.status}); its response carried a secret, which is not kept for replay`,
      { type: 'idempotent-replay-withheld' },
    );
  }
  ctx.set(stored.headers ?? {});
  ctx.set('Idempotent-Replayed', 'true');
  ctx.status = stored.status;
  if (stored.body !== null) ctx.body = JSON.parse(stored.body);
}

/** Marks this response as carrying a secret: an idempotent replay will not return it. */
export function holdsSecret(ctx: Context): void {
  ctx.state.responseHoldsSecret = true;
}
