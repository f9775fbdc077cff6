export interface RetryOptions {
  /** Extra attempts after the first one. Default 2. */
  retries?: number;
  /** Base of the exponential backoff. Default 300 ms. */
  minDelayMs?: number;
  /** Cap for backoff and for `Retry-After`. Default 10 s. */
  maxDelayMs?: number;
}

export type RetryPolicy = Required<RetryOptions>;

export const defaultRetryPolicy: RetryPolicy = { retries: 2, minDelayMs: 300, maxDelayMs: 10_000 };

const idempotentMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export interface AttemptOutcome {
  method: string;
  /** HTTP status, or undefined when the request failed without an answer. */
  status: number | undefined;
  hasIdempotencyKey: boolean;
}

/** Retry 429, 503 and network failures; a non-idempotent write only under an Idempotency-Key. */
export function shouldRetry({ method, status, hasIdempotencyKey }: AttemptOutcome): boolean {
  if (status !== undefined && status !== 429 && status !== 503) return false;
  return idempotentMethods.has(method.toUpperCase()) || hasIdempotencyKey;
}

/** Exponential backoff with full jitter; `attempt` counts retries from 0. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/** `Retry-After` as milliseconds (delta-seconds or an HTTP date), or undefined when absent/invalid. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * How long to wait before the next attempt, or undefined when the server asks for a longer wait
 * than `maxDelayMs` (a log-in lockout, say): then failing at once beats a pointless wait.
 */
export function retryDelay(
  attempt: number,
  policy: RetryPolicy,
  retryAfter: string | null,
): number | undefined {
  const hinted = parseRetryAfter(retryAfter);
  if (hinted !== undefined) return hinted <= policy.maxDelayMs ? hinted : undefined;
  return backoffDelay(attempt, policy);
}

export function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
