import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import type { Database, Queryable } from '../db/types.js';
import type { OperationMiddlewareFactory } from './contract-router.js';
import { HttpError } from './problem.js';
import { isStreamedBody, type StreamedBody } from './request-body.js';

const REPLAYED_HEADERS = ['content-type', 'location', 'etag'];

export interface IdempotencyOptions {
  ttlHours: number;
  /** A claim whose heartbeat is older than this belongs to a request whose process is gone. */
  leaseSeconds: number;
  now: () => Date;
}

interface StoredResponse {
  request_hash: string;
  redacted: boolean;
  status: number | null;
  headers: Record<string, string> | null;
  body: string | null;
}

/** What a handler of a long or streamed write uses to record its result in its own transaction. */
export interface IdempotencyRecord {
  /** Records `reply` as this key's response, inside `tx`: the work and its record commit together. */
  record(tx: Queryable, reply: { status: number; body?: unknown }): Promise<void>;
}

const digestOf = (text: string) => createHash('sha256').update(text).digest('hex');

/** The request's fingerprint: method, path and body (for a streamed body, its sha256). */
async function fingerprint(ctx: Context): Promise<string> {
  const body = ctx.state.body as unknown;
  const content = isStreamedBody(body)
    ? `stream ${await drained(body)}`
    : JSON.stringify(body ?? null);
  return digestOf(`${ctx.method} ${ctx.path}\n${content}`);
}

/** The digest of a streamed body, reading what the handler left unread. */
function drained(body: StreamedBody): Promise<string> {
  if (!body.stream.readableEnded) body.stream.resume();
  return body.digest();
}

/**
 * `Idempotency-Key` on every write whose contract declares it: the first response is kept for
 * `ttlHours` and replayed to retries with the same body; the key with another body is a 422.
 * The record lives around the handler, not inside its transaction; a long handler may record
 * its result in its own last transaction instead (`ctx.state.idempotency`).
 */
export function idempotency(db: Database, options: IdempotencyOptions): OperationMiddlewareFactory {
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
      const streamed = isStreamedBody(ctx.state.body);
      // A streamed body's hash is known only once it was read: claim first, fill it in later.
      const claimHash = streamed ? `pending ${ctx.method} ${ctx.path}` : await fingerprint(ctx);

      const now = options.now();
      const claimed = await db.query(
        `INSERT INTO idempotency_keys (scope, key, method, path, request_hash, created_at, heartbeat_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)
         ON CONFLICT (scope, key) DO UPDATE SET
           method = EXCLUDED.method, path = EXCLUDED.path, request_hash = EXCLUDED.request_hash,
           status = NULL, headers = NULL, body = NULL, redacted = false,
           created_at = EXCLUDED.created_at, heartbeat_at = EXCLUDED.heartbeat_at, completed_at = NULL
         WHERE idempotency_keys.created_at < $6::timestamptz - make_interval(hours => $7)
            OR (idempotency_keys.completed_at IS NULL
                AND idempotency_keys.heartbeat_at < $6::timestamptz - make_interval(secs => $8))
         RETURNING 1`,
        [scope, key, ctx.method, ctx.path, claimHash, now, options.ttlHours, options.leaseSeconds],
      );
      if (claimed.rows.length === 0) return replay(ctx, db, scope, key);

      const heartbeat = setInterval(
        () => {
          db.query(
            'UPDATE idempotency_keys SET heartbeat_at = $3 WHERE scope = $1 AND key = $2 AND completed_at IS NULL',
            [scope, key, options.now()],
          ).catch((error) => ctx.state.log?.warn({ err: error }, 'idempotency heartbeat failed'));
        },
        Math.max(50, (options.leaseSeconds * 1000) / 3),
      );
      heartbeat.unref();
      let recorded = false;
      const hashNow = () => (streamed ? fingerprint(ctx) : Promise.resolve(claimHash));
      ctx.state.idempotency = {
        async record(tx, reply) {
          await complete(tx, ctx, scope, key, await hashNow(), reply, options.now());
          recorded = true;
        },
      } satisfies IdempotencyRecord;

      try {
        await next();
      } catch (error) {
        clearInterval(heartbeat);
        if (!recorded) {
          await db.query('DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2', [
            scope,
            key,
          ]);
        }
        throw error;
      }
      clearInterval(heartbeat);
      if (recorded) return;
      await complete(
        db,
        ctx,
        scope,
        key,
        await hashNow(),
        { status: ctx.status, body: ctx.body },
        options.now(),
      );
    };
  };
}

async function complete(
  db: Queryable,
  ctx: Context,
  scope: string,
  key: string,
  hash: string,
  reply: { status: number; body?: unknown },
  now: Date,
) {
  const headers = Object.fromEntries(
    REPLAYED_HEADERS.flatMap((name) => {
      const value = ctx.response.get(name);
      return value ? [[name, value]] : [];
    }),
  );
  // A secret (tokens, an API key's) must not sit in this table: keep only that it succeeded.
  const redacted = ctx.state.responseHoldsSecret === true;
  const body = reply.body == null || redacted ? null : JSON.stringify(reply.body);
  await db.query(
    `UPDATE idempotency_keys SET request_hash = $3, status = $4, headers = $5, body = $6,
       redacted = $7, completed_at = $8
     WHERE scope = $1 AND key = $2`,
    [scope, key, hash, reply.status, JSON.stringify(headers), body, redacted, now],
  );
}

async function replay(ctx: Context, db: Database, scope: string, key: string) {
  const { rows } = await db.query<StoredResponse>(
    'SELECT request_hash, redacted, status, headers, body FROM idempotency_keys WHERE scope = $1 AND key = $2',
    [scope, key],
  );
  const stored = rows[0];
  // A streamed body is read (to hash it) only to compare with a finished request's.
  const inFlight = !stored || stored.status === null;
  if (stored && !(inFlight && isStreamedBody(ctx.state.body))) {
    const known = !stored.request_hash.startsWith('pending ');
    if (known && stored.request_hash !== (await fingerprint(ctx))) {
      throw new HttpError(422, 'This Idempotency-Key was already used with a different request', {
        type: 'idempotency-key-reused',
      });
    }
  }
  if (!stored || stored.status === null) {
    throw new HttpError(
      409,
      'A request with this Idempotency-Key is still in progress; retry shortly',
      { type: 'idempotency-key-in-progress', headers: { 'Retry-After': '1' } },
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
