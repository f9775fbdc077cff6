import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, PASSWORD, signUp } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('e-mail verification', () => {
  it('registration mails a token that verifies the address once', async () => {
    const user = await signUp(server, 'verify');
    const token = await server.mail.token(user.email, /Confirm your e-mail/);
    expect(token).toMatch(/^pmv_/);
    expect((await server.client().auth.verifyEmail(token)).emailVerified).toBe(true);
    expect((await user.pm.me.get()).emailVerified).toBe(true);
    expect((await failure(server.client().auth.verifyEmail(token))).status).toBe(422);
    expect((await failure(user.pm.auth.resendVerificationEmail())).status).toBe(409);
  });
});

describe('password reset', () => {
  it('mails a single-use token; the new password works and every session is signed out', async () => {
    const user = await signUp(server, 'reset');
    const anon = server.client();
    await anon.auth.requestPasswordReset(user.email);
    await anon.auth.requestPasswordReset('nobody-here@example.com');
    const token = await server.mail.token(user.email, /Reset your pmkit password/);
    await anon.auth.confirmPasswordReset({ token, password: 'a brand new password' });
    expect((await failure(user.pm.me.get())).detail).toBe('Invalid token');
    expect((await failure(anon.auth.login({ email: user.email, password: PASSWORD }))).status).toBe(
      401,
    );
    await anon.auth.login({ email: user.email, password: 'a brand new password' });
    expect(
      (await failure(anon.auth.confirmPasswordReset({ token, password: 'another new password' })))
        .status,
    ).toBe(422);
    expect(server.mail.received.some((m) => m.to === 'nobody-here@example.com')).toBe(false);
  });
});

describe('password change and sessions', () => {
  it('changing the password signs out the other sessions, not this one', async () => {
    const user = await signUp(server, 'change');
    const other = server.client();
    await other.auth.login({ email: user.email, password: PASSWORD });
    const sessions = await user.pm.me.sessions.list().toArray();
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);

    const wrong = await failure(
      user.pm.me.changePassword({ currentPassword: 'not it', newPassword: 'new password 123' }),
    );
    expect(wrong.status).toBe(422);
    await user.pm.me.changePassword({ currentPassword: PASSWORD, newPassword: 'new password 123' });
    expect((await user.pm.me.get()).email).toBe(user.email);
    expect((await failure(other.me.get())).status).toBe(401);
  });

  it('revokes one session by id; another user’s session is 404', async () => {
    const user = await signUp(server, 'sessions');
    const other = server.client();
    await other.auth.login({ email: user.email, password: PASSWORD });
    const target = (await user.pm.me.sessions.list().toArray()).find((s) => !s.current)!;
    const stranger = await signUp(server, 'stranger');
    expect((await failure(stranger.pm.me.sessions.revoke(target.id))).status).toBe(404);
    await user.pm.me.sessions.revoke(target.id);
    expect((await failure(other.me.get())).status).toBe(401);
  });
});

describe('rate limits', () => {
  it('limits each signed-in caller per minute', async () => {
    const limited = await startTestServer({ config: { rateLimits: { apiPerMinute: 3 } } });
    try {
      const user = await signUp(limited, 'api');
      for (let i = 0; i < 3; i++) await user.pm.me.get();
      const res = await limited.fetch(`${limited.url}/v1/me`, {
        headers: { Authorization: `Bearer ${user.accessToken}` },
      });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(res.headers.get('ratelimit-limit')).toBe('3');
    } finally {
      await limited.close();
    }
  });
});
