import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient, PmError } from '../src/index.js';
import {
  fastRetry,
  problem,
  type ScriptedServer,
  scriptedServer,
  session,
  user,
} from './server.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const expired = { status: 401, body: problem(401, 'Token expired') };

describe('credentials', () => {
  it('sends the API key, PM-Org, custom headers and a User-Agent', async () => {
    server = await scriptedServer(() => ({ status: 200, body: user }));
    const pm = createClient({
      baseUrl: `${server.url}/`,
      apiKey: 'pmk_123',
      token: 'ignored',
      org: 'acme',
      headers: { 'x-extra': '1' },
      userAgent: 'my-script/2',
    });
    await pm.me.get();
    const headers = server.requests[0]?.headers;
    expect(server.requests[0]?.url).toBe('/v1/me');
    expect(headers?.authorization).toBe('Bearer pmk_123');
    expect(headers?.['pm-org']).toBe('acme');
    expect(headers?.['x-extra']).toBe('1');
    expect(headers?.['user-agent']).toMatch(/^my-script\/2 pmkit-sdk\//);
  });

  it('login adopts the session and reports it through onSession', async () => {
    server = await scriptedServer((r) =>
      r.url === '/v1/auth/login' ? { status: 200, body: session(1) } : { status: 200, body: user },
    );
    const onSession = vi.fn();
    const pm = createClient({ baseUrl: server.url, onSession });
    await pm.auth.login({ email: 'ada@example.com', password: 'secret' });
    await pm.me.get();
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    expect(server.requests[1]?.headers.authorization).toBe('Bearer access-1');
    expect(onSession).toHaveBeenCalledTimes(1);
    expect(pm.accessToken()).toBe('access-1');
  });
});

describe('refresh on expiry', () => {
  function refreshingServer() {
    return scriptedServer((r) => {
      if (r.url === '/v1/auth/refresh') return { status: 200, body: session(2), delayMs: 20 };
      if (r.headers.authorization === 'Bearer access-2') return { status: 200, body: user };
      return expired;
    });
  }

  it('refreshes once, persists the new session and retries the request', async () => {
    server = await refreshingServer();
    const onSession = vi.fn();
    const pm = createClient({
      baseUrl: server.url,
      session: { accessToken: 'access-1', refreshToken: 'refresh-1' },
      onSession,
    });
    await expect(pm.me.get()).resolves.toEqual(user);
    expect(
      server.requests.map((r) => `${r.method} ${r.url} ${r.headers.authorization ?? ''}`),
    ).toEqual([
      'GET /v1/me Bearer access-1',
      'POST /v1/auth/refresh ',
      'GET /v1/me Bearer access-2',
    ]);
    expect(JSON.parse(server.requests[1]?.body ?? '')).toEqual({ refreshToken: 'refresh-1' });
    expect(onSession).toHaveBeenCalledExactlyOnceWith(session(2));
  });

  it('shares one refresh between requests that expire together', async () => {
    server = await refreshingServer();
    const pm = createClient({
      baseUrl: server.url,
      session: { accessToken: 'access-1', refreshToken: 'refresh-1' },
    });
    await Promise.all([pm.me.get(), pm.me.get(), pm.me.get()]);
    const refreshes = server.requests.filter((r) => r.url === '/v1/auth/refresh');
    expect(refreshes).toHaveLength(1);
    expect(server.requests).toHaveLength(7);
  });

  it('refreshes at most once per request', async () => {
    server = await scriptedServer((r) =>
      r.url === '/v1/auth/refresh' ? { status: 200, body: session(2) } : expired,
    );
    const pm = createClient({
      baseUrl: server.url,
      session: { accessToken: 'access-1', refreshToken: 'refresh-1' },
      retry: fastRetry,
    });
    await expect(pm.me.get()).rejects.toMatchObject({ status: 401, detail: 'Token expired' });
    expect(server.requests).toHaveLength(3);
  });

  it('does not refresh on Invalid token, nor without a session', async () => {
    server = await scriptedServer(() => ({ status: 401, body: problem(401, 'Invalid token') }));
    const pm = createClient({
      baseUrl: server.url,
      session: { accessToken: 'a', refreshToken: 'r' },
    });
    await expect(pm.me.get()).rejects.toMatchObject({ status: 401, detail: 'Invalid token' });
    const tokenOnly = createClient({ baseUrl: server.url, token: 'a' });
    await expect(tokenOnly.me.get()).rejects.toBeInstanceOf(PmError);
    expect(server.requests).toHaveLength(2);
  });

  it('surfaces a failed refresh as its PmError', async () => {
    server = await scriptedServer((r) =>
      r.url === '/v1/auth/refresh' ? { status: 401, body: problem(401, 'Invalid token') } : expired,
    );
    const onSession = vi.fn();
    const pm = createClient({
      baseUrl: server.url,
      session: { accessToken: 'a', refreshToken: 'r' },
      onSession,
    });
    await expect(pm.me.get()).rejects.toMatchObject({ status: 401, detail: 'Invalid token' });
    expect(onSession).not.toHaveBeenCalled();
    expect(server.requests).toHaveLength(2);
  });
});
