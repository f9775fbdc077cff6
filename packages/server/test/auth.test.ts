import { type PmClient, PmError } from '@pmkit/sdk';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ clock });
});
afterAll(() => server.close());

const password = 'correct horse battery staple';
let n = 0;
async function signUp(): Promise<{
  pm: PmClient;
  email: string;
  refreshToken: string;
  accessToken: string;
}> {
  const pm = server.client();
  const email = `user${++n}@example.com`;
  const session = await pm.auth.register({ email, password, name: `User ${n}` });
  return { pm, email, refreshToken: session.refreshToken, accessToken: session.accessToken };
}

async function problemOf(promise: Promise<unknown>): Promise<PmError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PmError);
  return error as PmError;
}

describe('accounts', () => {
  it('registers, signs in, and reads and changes the profile', async () => {
    const { pm, email } = await signUp();
    const me = await pm.me.get();
    expect(me).toMatchObject({ email, timezone: 'UTC', emailVerified: false, avatarUrl: null });

    const updated = await pm.me.update({
      timezone: 'Europe/Berlin',
      preferences: { theme: 'dark' },
    });
    expect(updated).toMatchObject({
      timezone: 'Europe/Berlin',
      preferences: { theme: 'dark' },
      name: me.name,
    });

    const again = server.client();
    const session = await again.auth.login({ email: email.toUpperCase(), password });
    expect(session.user.id).toBe(me.id);
  });

  it('takes only an http(s) avatar URL', async () => {
    const { pm } = await signUp();
    expect((await pm.me.update({ avatarUrl: 'https://example.com/a.png' })).avatarUrl).toBe(
      'https://example.com/a.png',
    );
    const error = await problemOf(pm.me.update({ avatarUrl: 'javascript:alert(1)' }));
    expect(error.status).toBe(400);
    expect(error.errors.map((e) => e.path)).toEqual(['/body/avatarUrl']);
    expect((await pm.me.update({ avatarUrl: null })).avatarUrl).toBeNull();
  });

  it('refuses an unknown time zone with 422 naming the field', async () => {
    const { pm } = await signUp();
    const error = await problemOf(pm.me.update({ timezone: 'Mars/Olympus' }));
    expect(error.status).toBe(422);
    expect(error.errors).toEqual([
      { path: '/body/timezone', message: expect.stringContaining('IANA') },
    ]);
  });

  it('refuses a second account with the same e-mail, whatever its case', async () => {
    const { email } = await signUp();
    const error = await problemOf(
      server.client().auth.register({ email: email.toUpperCase(), password, name: 'x' }),
    );
    expect(error.status).toBe(409);
  });

  it('refuses a wrong password with 401 and records the failure', async () => {
    const { email } = await signUp();
    const error = await problemOf(
      server.client().auth.login({ email, password: 'wrong password!' }),
    );
    expect(error.status).toBe(401);
    const { rows } = await server.db.query(
      `SELECT count(*)::int AS n FROM events WHERE action = 'login_failed' AND changes->>'email' = $1`,
      [email],
    );
    expect(rows[0]).toEqual({ n: 1 });
  });
});

describe('refresh tokens', () => {
  it('rotate on every use', async () => {
    const { refreshToken } = await signUp();
    const pm = server.client();
    const next = await pm.auth.refresh(refreshToken);
    expect(next.refreshToken).not.toBe(refreshToken);
    const after = await pm.auth.refresh(next.refreshToken);
    expect(after.user.id).toBe(next.user.id);
  });

  it('used twice: the second use is 401 and the first use’s new tokens stop working too', async () => {
    const { refreshToken } = await signUp();
    const first = await server.client().auth.refresh(refreshToken);
    const reuse = await problemOf(server.client().auth.refresh(refreshToken));
    expect(reuse.status).toBe(401);
    expect(reuse.detail).toBe('Invalid token');

    const stolen = server.client({ token: first.accessToken });
    expect((await problemOf(stolen.me.get())).detail).toBe('Invalid token');
    expect((await problemOf(server.client().auth.refresh(first.refreshToken))).status).toBe(401);
  });
});

describe('access tokens', () => {
  const detailFor = async (token: string) =>
    (await problemOf(server.client({ token }).me.get())).detail;

  it('malformed, badly signed or alg:none → 401 Invalid token', async () => {
    const { accessToken } = await signUp();
    const [header, payload] = accessToken.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    const forged = await new SignJWT(JSON.parse(Buffer.from(payload!, 'base64url').toString()))
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('not the server key, but long enough'));
    for (const token of ['garbage', `${header}.${payload}`, none, forged]) {
      expect(await detailFor(token), token).toBe('Invalid token');
    }
  });

  it('expired → 401 Token expired', async () => {
    const { accessToken } = await signUp();
    clock.offsetMs = 16 * 60 * 1000;
    try {
      expect(await detailFor(accessToken)).toBe('Token expired');
    } finally {
      clock.offsetMs = 0;
    }
  });

  it('a missing Authorization header is 401', async () => {
    const error = await problemOf(server.client().me.get());
    expect(error.status).toBe(401);
  });

  it('logout revokes the session', async () => {
    const { accessToken } = await signUp();
    const pm = server.client({ token: accessToken });
    await pm.auth.logout();
    expect((await problemOf(server.client({ token: accessToken }).me.get())).detail).toBe(
      'Invalid token',
    );
  });

  it('the SDK refreshes an expired session on its own', async () => {
    const { accessToken, refreshToken } = await signUp();
    const seen: string[] = [];
    const pm = server.client({
      session: { accessToken, refreshToken },
      onSession: (s) => {
        seen.push(s.accessToken);
      },
    });
    clock.offsetMs = 16 * 60 * 1000;
    try {
      const me = await pm.me.get();
      expect(me.email).toMatch(/@example\.com$/);
      expect(seen).toHaveLength(1);
    } finally {
      clock.offsetMs = 0;
    }
  });
});

describe('registration modes', () => {
  it('a closed server refuses registration with 403', async () => {
    const closed = await startTestServer({ config: { registration: 'closed' } });
    try {
      const error = await problemOf(
        closed.client().auth.register({ email: 'x@example.com', password, name: 'x' }),
      );
      expect(error.status).toBe(403);
      expect(error.detail).toBe('Registration on this server is closed');
      expect((await closed.client().system.meta()).registration).toBe('closed');
    } finally {
      await closed.close();
    }
  });
});
