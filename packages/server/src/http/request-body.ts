import { createHash } from 'node:crypto';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import coBody from 'co-body';
import type { Context } from 'koa';
import type { ContractOperation } from './contract-validator.js';
import { badRequest, HttpError } from './problem.js';

/**
 * A request body handed to its handler as it arrives (CSV files, uploads). Reading it enforces the
 * operation's size limit (413) and hashes it on the way, so idempotency can compare two uploads.
 */
export interface StreamedBody {
  /** The media type the caller sent, without parameters (`text/csv`). */
  contentType: string;
  /** `charset=` of the Content-Type, when given. */
  charset: string | undefined;
  stream: Readable;
  /** The body's sha256 (hex), known once the stream has been read to its end. */
  digest(): Promise<string>;
}

export const STREAMED_TYPES = ['text/csv', 'application/octet-stream'] as const;

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

export function parseSize(size: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(size.trim());
  if (!match) throw new Error(`Not a size: ${size}`);
  return Math.floor(Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]!);
}

const tooLarge = (limit: number) =>
  new HttpError(413, `The request body is larger than this operation accepts (${limit} bytes)`);

/** Counts and hashes bytes as they pass; past `limit` it fails with 413. */
class LimitedDigest extends Transform {
  private seen = 0;
  private readonly hash = createHash('sha256');
  readonly done: Promise<string>;
  private settle!: (digest: string) => void;
  private fail!: (error: Error) => void;

  constructor(private readonly limit: number) {
    super();
    this.done = new Promise((resolve, reject) => {
      this.settle = resolve;
      this.fail = reject;
    });
    // A digest nobody asked for must not become an unhandled rejection.
    this.done.catch(() => {});
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.seen += chunk.length;
    if (this.seen > this.limit) {
      const error = tooLarge(this.limit);
      this.fail(error);
      callback(error);
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback) {
    this.settle(this.hash.digest('hex'));
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void) {
    this.fail(error ?? new Error('The request body was not read to its end'));
    callback(error);
  }
}

export interface BodyLimits {
  /** For JSON bodies (PM_BODY_LIMIT). */
  json: string;
  /** For streamed bodies, unless the operation sets `x-body-limit`. */
  streamed: string;
}

const hasBody = (ctx: Context) =>
  ctx.request.length !== 0 && Boolean(ctx.request.length || ctx.get('Transfer-Encoding'));

/**
 * Reads the body the way its content type asks: JSON is parsed (to be validated), a streamed type
 * is handed on as a stream, anything the operation does not accept is a 415.
 */
export async function readRequestBody(
  ctx: Context,
  op: ContractOperation,
  limits: BodyLimits,
): Promise<unknown> {
  if (op.bodyContentTypes.length === 0 || !hasBody(ctx)) {
    if (op.bodyRequired) {
      throw badRequest('The request body is required', [{ path: '/body', message: 'is required' }]);
    }
    return undefined;
  }
  const sent = ctx.request.type;
  if (op.bodyContentTypes.includes('application/json') && ctx.is('application/json', '+json')) {
    // JSON is UTF-8 (RFC 8259): another charset would be decoded into something else.
    const charset = ctx.request.charset.toLowerCase();
    if (charset && charset !== 'utf-8' && charset !== 'utf8') {
      throw new HttpError(415, `Send JSON as UTF-8, not charset=${charset}`);
    }
    return coBody.json(ctx, { limit: limits.json, strict: true });
  }
  const streamed = op.bodyContentTypes.find(
    (type) => (STREAMED_TYPES as readonly string[]).includes(type) && type === sent,
  );
  if (!streamed) {
    throw new HttpError(
      415,
      `Send the body as ${op.bodyContentTypes.join(' or ')}, not ${ctx.get('Content-Type') || 'no content type'}`,
    );
  }
  const limit = parseSize(op.bodyLimit ?? limits.streamed);
  if (ctx.request.length !== undefined && ctx.request.length > limit) throw tooLarge(limit);
  const meter = new LimitedDigest(limit);
  const request = ctx.req;
  request.pipe(meter);
  // A caller who hangs up mid-body fails the reader instead of leaving it waiting.
  request.on('error', (error) => meter.destroy(error));
  request.on('close', () => {
    if (!request.complete) meter.destroy(new Error('The caller closed the request mid-body'));
  });
  // Past the limit, stop reading: the 413 goes out with Connection: close (error boundary).
  meter.on('error', () => request.unpipe(meter));
  return {
    contentType: streamed,
    charset: ctx.request.charset || undefined,
    stream: meter,
    digest: () => meter.done,
  } satisfies StreamedBody;
}

export function isStreamedBody(body: unknown): body is StreamedBody {
  return typeof body === 'object' && body !== null && 'stream' in body && 'digest' in body;
}
