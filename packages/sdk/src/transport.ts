import type { Credentials } from './credentials.js';
import { errorFromResponse, PmNetworkError } from './errors.js';
import { type RetryPolicy, retryDelay, shouldRetry, sleep } from './retry.js';

/** The fetch shape the SDK calls: always a URL string plus a plain init. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface TransportOptions {
  fetch: FetchLike;
  retry: RetryPolicy | false;
  credentials: Credentials;
  headers: Record<string, string>;
}

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const STREAM_NOT_RESENT =
  'a streamed body cannot be sent again; send it anew with the same Idempotency-Key';

const isJson = (type: string | null) =>
  type === null || /^application\/([\w.+-]*\+)?json\b/i.test(type) || /^text\/plain/i.test(type);

/**
 * The `fetch` handed to openapi-fetch. It adds auth and idempotency headers, buffers the body so
 * that retries re-send it, retries per policy, refreshes an expired session once, and turns every
 * non-2xx answer into a thrown PmError.
 */
export function createTransport(
  options: TransportOptions,
): (request: Request) => Promise<Response> {
  const { credentials, retry } = options;

  return async function transport(request: Request): Promise<Response> {
    const method = request.method.toUpperCase();
    // JSON is small and buffered, so a retry can re-send it; anything else (a CSV file) is sent
    // as it is read, and so can be sent only once.
    const streamed = request.body !== null && !isJson(request.headers.get('content-type'));
    const body = streamed
      ? (request.body ?? undefined)
      : request.body
        ? new Uint8Array(await request.arrayBuffer())
        : undefined;
    const headers = new Headers(request.headers);
    for (const [name, value] of Object.entries(options.headers)) {
      if (!headers.has(name)) headers.set(name, value);
    }
    if (writeMethods.has(method) && !headers.has('idempotency-key')) {
      headers.set('idempotency-key', crypto.randomUUID());
    }
    const callerAuth = headers.has('authorization');
    const hasIdempotencyKey = headers.has('idempotency-key');
    let retries = 0;
    let refreshed = false;

    while (true) {
      const token = credentials.bearer();
      if (!callerAuth) {
        if (token) headers.set('authorization', `Bearer ${token}`);
        else headers.delete('authorization');
      }
      let response: Response;
      try {
        response = await options.fetch(request.url, {
          method,
          headers: Object.fromEntries(headers),
          body,
          signal: request.signal,
          redirect: request.redirect,
          ...(streamed ? { duplex: 'half' } : {}),
        } as RequestInit);
      } catch (cause) {
        // fetch rejects with a TypeError when no answer came; anything else is the caller's own
        // fetch speaking (a wrapper that checks responses, say) and passes through as itself.
        if (request.signal.aborted || !(cause instanceof TypeError)) throw cause;
        if (streamed) throw new PmNetworkError(request.url, cause, STREAM_NOT_RESENT);
        if (
          retry &&
          retries < retry.retries &&
          shouldRetry({ method, status: undefined, hasIdempotencyKey })
        ) {
          await sleep(retryDelay(retries++, retry, null) ?? 0, request.signal);
          continue;
        }
        throw new PmNetworkError(request.url, cause);
      }
      if (response.ok) return response;

      if (response.status === 401 && !refreshed && !callerAuth && credentials.canRefresh()) {
        const error = await errorFromResponse(response);
        if (error.detail !== 'Token expired') throw error;
        refreshed = true;
        await credentials.refreshAfter(token);
        continue;
      }
      const status = response.status;
      const delay =
        retry &&
        !streamed &&
        retries < retry.retries &&
        shouldRetry({ method, status, hasIdempotencyKey })
          ? retryDelay(retries++, retry, response.headers.get('retry-after'))
          : undefined;
      if (delay !== undefined) {
        await response.body?.cancel().catch(() => {});
        await sleep(delay, request.signal);
        continue;
      }
      throw await errorFromResponse(response);
    }
  };
}
