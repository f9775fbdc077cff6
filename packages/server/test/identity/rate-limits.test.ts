import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { failure, PASSWORD, signUp } from './helpers.js';

/**
 * The limits on anonymous endpoints, lowered per test (never disabled), on the injected clock:
 * no test waits for a real window to pass.
 */
const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  clock.offsetMs = 0;
});

const post = (path: string, body: object) =>
  server!.fetch(`${server!.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

async function statuses(n: number, send: (i: number) => Promise<Response>) {
  const seen: number[] = [];
  let retryAfter: string | null = null;
  for (let i = 0; i < n; i++) {
    const res = await send(i);
    seen.push(res.status);
    if (res.status === 429) retryAfter = res.headers.get('retry-after');
  }
  return { seen, retryAfter: Number(retryAfter) };
}

describe('rate limits', () => {
  it('20 wrong passwords in a row get 429 with Retry-After; after the window the right one works', async () => {
    server = await startTestServer({ clock });
    const user = await signUp(server, 'limited');
    const { seen, retryAfter } = await statuses(20, (i) =>
      post('/v1/auth/login', { email: user.email, password: `wrong password ${i}` }),
    );
    expect(seen.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(seen.slice(10).every((s) => s === 429)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    const login = () => server!.client().auth.login({ email: user.email, password: PASSWORD });
    expect((await failure(login())).status).toBe(429);
    clock.offsetMs = (retryAfter - 2) * 1000;
    expect((await failure(login())).status, 'still inside the window').toBe(429);
    clock.offsetMs = (retryAfter + 1) * 1000;
    await login();
  });

  it('log-ins per IP: the limit holds across accounts', async () => {
    server = await startTestServer({ clock, config: { rateLimits: { loginPerIp: 3 } } });
    const { seen, retryAfter } = await statuses(5, (i) =>
      post('/v1/auth/login', { email: `nobody${i}@example.com`, password: 'whatever it is' }),
    );
    expect(seen).toEqual([401, 401, 401, 429, 429]);
    clock.offsetMs = (retryAfter + 1) * 1000;
    expect((await post('/v1/auth/login', { email: 'x@example.com', password: 'y' })).status).toBe(
      401,
    );
  });

  it('registrations per IP', async () => {
    server = await startTestServer({ clock, config: { rateLimits: { registerPerIp: 2 } } });
    const { seen, retryAfter } = await statuses(3, (i) =>
      post('/v1/auth/register', {
        email: `reg${i}-${process.pid}@example.com`,
        password: PASSWORD,
        name: 'Reg',
      }),
    );
    expect(seen).toEqual([201, 201, 429]);
    clock.offsetMs = (retryAfter + 1) * 1000;
    const res = await post('/v1/auth/register', {
      email: `reg-later-${process.pid}@example.com`,
      password: PASSWORD,
      name: 'Reg',
    });
    expect(res.status).toBe(201);
  });

  it('password reset requests per IP, and per account', async () => {
    server = await startTestServer({
      clock,
      config: { rateLimits: { resetPerIp: 3, resetPerAccount: 2 } },
    });
    const perIp = await statuses(4, (i) =>
      post('/v1/auth/password-reset', { email: `someone${i}@example.com` }),
    );
    expect(perIp.seen.slice(0, 3).every((s) => s < 300)).toBe(true);
    expect(perIp.seen[3]).toBe(429);
    clock.offsetMs = (perIp.retryAfter + 1) * 1000;
    const user = await signUp(server, 'reset-limited');
    const perAccount = await statuses(3, () =>
      post('/v1/auth/password-reset', { email: user.email }),
    );
    // The per-account limit answers like any other request (no enumeration): only 2 mails go out.
    expect(perAccount.seen.every((s) => s === perAccount.seen[0] || s === 429)).toBe(true);
    if (!perAccount.seen.includes(429)) {
      await server.mail.token(user.email, /Reset your pmkit password/);
      const mails = server.mail.received.filter(
        (m) => m.to.includes(user.email) && /Reset/.test(m.subject),
      );
      expect(mails.length).toBeGreaterThan(0);
      expect(mails.length).toBeLessThanOrEqual(2);
    }
  });
});
