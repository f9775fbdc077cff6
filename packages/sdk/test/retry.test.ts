import { afterEach, describe, expect, it } from 'vitest';
import { createClient, isPmError, PmError, PmNetworkError } from '../src/index.js';
import { backoffDelay, parseRetryAfter, shouldRetry } from '../src/retry.js';
import { fastRetry, problem, type ScriptedServer, scriptedServer } from './server.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const health = { status: 200, body: { status: 'ok' } };
const org = {
  id: '00000000-0000-4000-8000-000000000002',
  slug: 'acme',
  name: 'Acme',
  role: 'owner',
  createdAt: '2025-01-01T00:00:00Z',
};

describe('retries', () => {
  it('retries 503 on a GET and returns the eventual answer', async () => {
    server = await scriptedServer((_, i) =>
      i < 2 ? { status: 503, body: problem(503, 'down') } : health,
    );
    const pm = createClient({ baseUrl: server.url, retry: fastRetry });
    await expect(pm.system.health()).resolves.toEqual({ status: 'ok' });
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after the configured retries with the last PmError', async () => {
    server = await scriptedServer(() => ({ status: 503, body: problem(503, 'still down') }));
    const pm = createClient({ baseUrl: server.url, retry: { ...fastRetry, retries: 3 } });
    const error = await pm.system.ready().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PmError);
    expect((error as PmError).status).toBe(503);
    expect((error as PmError).detail).toBe('still down');
    expect(server.requests).toHaveLength(4);
  });

  it('does not retry other errors', async () => {
    // A 500 is no answer the contract gives; a broken proxy or server might.
    server = await scriptedServer(() => ({
      status: 500,
      body: problem(500, 'boom'),
      offContract: true,
    }));
    const pm = createClient({ baseUrl: server.url, retry: fastRetry });
    await expect(pm.system.health()).rejects.toMatchObject({ status: 500, detail: 'boom' });
    expect(server.requests).toHaveLength(1);
  });

  it('sends no retries when retry is false', async () => {
    // Without Retry-After, as a proxy's 429 may come.
    server = await scriptedServer(() => ({
      status: 429,
      body: problem(429, 'slow down'),
      offContract: true,
    }));
    const pm = createClient({ baseUrl: server.url, retry: false });
    await expect(pm.system.health()).rejects.toMatchObject({ status: 429 });
    expect(server.requests).toHaveLength(1);
  });

  it('honours Retry-After when it is within maxDelayMs', async () => {
    server = await scriptedServer((_, i) =>
      i === 0
        ? // Fractional seconds: not ours to send, but other servers do.
          {
            status: 429,
            headers: { 'retry-after': '0.15' },
            body: problem(429, 'x'),
            offContract: true,
          }
        : health,
    );
    const pm = createClient({
      baseUrl: server.url,
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1000 },
    });
    const started = Date.now();
    await pm.system.health();
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(2000);
    expect(server.requests).toHaveLength(2);
  });

  it('fails at once when Retry-After asks for longer than maxDelayMs', async () => {
    server = await scriptedServer(() => ({
      status: 429,
      headers: { 'retry-after': '900' },
      body: problem(429, 'locked out'),
    }));
    const pm = createClient({
      baseUrl: server.url,
      retry: { retries: 3, minDelayMs: 1, maxDelayMs: 150 },
    });
    const started = Date.now();
    await expect(pm.system.health()).rejects.toMatchObject({ status: 429, detail: 'locked out' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a write with the same Idempotency-Key and the same body', async () => {
    server = await scriptedServer((_, i) =>
      i === 0 ? { status: 503, body: problem(503, 'x') } : { status: 201, body: org },
    );
    const pm = createClient({ baseUrl: server.url, retry: fastRetry });
    await expect(pm.orgs.create({ name: 'Acme', slug: 'acme' })).resolves.toEqual(org);
    const [first, second] = server.requests;
    expect(server.requests).toHaveLength(2);
    expect(first?.method).toBe('POST');
    expect(first?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.headers['idempotency-key']).toBe(first?.headers['idempotency-key']);
    expect(JSON.parse(first?.body ?? '')).toEqual({ name: 'Acme', slug: 'acme' });
    expect(second?.body).toBe(first?.body);
  });

  it("keeps the caller's Idempotency-Key and sends none on reads", async () => {
    server = await scriptedServer((r) =>
      r.method === 'POST' ? { status: 201, body: org } : health,
    );
    const pm = createClient({ baseUrl: server.url, retry: fastRetry });
    await pm.orgs.create({ name: 'Acme' }, { idempotencyKey: 'my-key' });
    await pm.system.health();
    expect(server.requests[0]?.headers['idempotency-key']).toBe('my-key');
    expect(server.requests[1]?.headers['idempotency-key']).toBeUndefined();
  });

  it('retries network failures and reports them as PmNetworkError with status 0', async () => {
    server = await scriptedServer((_, i) => (i < 1 ? 'destroy' : health));
    const pm = createClient({ baseUrl: server.url, retry: fastRetry });
    await expect(pm.system.health()).resolves.toEqual({ status: 'ok' });
    expect(server.requests).toHaveLength(2);

    const url = server.url;
    await server.close();
    server = undefined;
    const offline = createClient({ baseUrl: url, retry: fastRetry });
    const error = await offline.system.health().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PmNetworkError);
    expect(isPmError(error)).toBe(true);
    expect((error as PmNetworkError).status).toBe(0);
    expect((error as PmNetworkError).detail).toContain('ECONNREFUSED');
  });
});

describe('retry policy', () => {
  it('retries 429/503/network, and writes only under an Idempotency-Key', () => {
    expect(shouldRetry({ method: 'GET', status: 429, hasIdempotencyKey: false })).toBe(true);
    expect(shouldRetry({ method: 'GET', status: 503, hasIdempotencyKey: false })).toBe(true);
    expect(shouldRetry({ method: 'GET', status: undefined, hasIdempotencyKey: false })).toBe(true);
    expect(shouldRetry({ method: 'GET', status: 502, hasIdempotencyKey: false })).toBe(false);
    expect(shouldRetry({ method: 'POST', status: 503, hasIdempotencyKey: false })).toBe(false);
    expect(shouldRetry({ method: 'POST', status: undefined, hasIdempotencyKey: true })).toBe(true);
    expect(shouldRetry({ method: 'PATCH', status: 400, hasIdempotencyKey: true })).toBe(false);
  });

  it('backs off exponentially with full jitter under the cap', () => {
    const policy = { retries: 5, minDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, policy, () => 0.999)).toBe(99);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(200);
    expect(backoffDelay(10, policy, () => 0.999)).toBe(999);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
