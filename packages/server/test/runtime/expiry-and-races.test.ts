import { movableClock, startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, failure, PASSWORD, signUp } from '../identity/helpers.js';

// Each test sets the clock it needs; nothing depends on another test's accounts or time.
const clock = movableClock();
const HOUR = 3600_000;
const DAY = 24 * HOUR;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ clock });
});
afterAll(() => server.close());

describe('user tokens expire by the injected clock', () => {
  it('a password reset token works for an hour, not after', async () => {
    clock.offsetMs = 0;
    const user = await signUp(server, 'reset-expiry');
    const anon = server.client();
    let mark = server.mail.mark();
    await anon.auth.requestPasswordReset(user.email);
    const late = await server.mail.token(user.email, /Reset your pmkit password/, { after: mark });
    clock.offsetMs = HOUR + 1000;
    const refused = await failure(
      anon.auth.confirmPasswordReset({ token: late, password: 'a brand new password' }),
    );
    expect(refused.status).toBe(422);
    await anon.auth.login({ email: user.email, password: PASSWORD });

    mark = server.mail.mark();
    await anon.auth.requestPasswordReset(user.email);
    const fresh = await server.mail.token(user.email, /Reset your pmkit password/, { after: mark });
    clock.offsetMs += HOUR - 60_000;
    await anon.auth.confirmPasswordReset({ token: fresh, password: 'a brand new password' });
  });

  it('an e-mail verification token works for seven days, not after', async () => {
    clock.offsetMs = 0;
    const early = await signUp(server, 'verify-early');
    const earlyToken = await server.mail.token(early.email, /Confirm your e-mail/);
    const late = await signUp(server, 'verify-late');
    const lateToken = await server.mail.token(late.email, /Confirm your e-mail/);
    clock.offsetMs = 7 * DAY - 60_000;
    expect((await server.client().auth.verifyEmail(earlyToken)).emailVerified).toBe(true);
    clock.offsetMs = 7 * DAY + 1000;
    expect((await failure(server.client().auth.verifyEmail(lateToken))).status).toBe(422);
  });
});

describe('races', () => {
  it('one refresh token used twice at once: exactly one use rotates it', async () => {
    clock.offsetMs = 0;
    const user = await signUp(server, 'refresh-race');
    const { refreshToken } = await server
      .client()
      .auth.login({ email: user.email, password: PASSWORD });
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => server.client().auth.refresh(refreshToken)),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won.length, JSON.stringify(results.map((r) => r.status))).toBeLessThanOrEqual(1);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as { status: number }).status).toBe(401);
    }
  });

  it('two Owners demoting each other at once: one Owner is always left', async () => {
    clock.offsetMs = 0;
    for (let round = 0; round < 3; round++) {
      const a = await signUp(server, 'owner-a');
      const org = await a.pm.orgs.create({ name: `Two owners ${round}` });
      const b = await signUp(server, 'owner-b');
      await addMember(server, a, org.id, b, 'owner');
      const results = await Promise.allSettled([
        a.pm.members.update(org.id, b.userId, { role: 'admin' }),
        b.pm.members.update(org.id, a.userId, { role: 'admin' }),
        a.pm.members.leave(org.id),
        b.pm.members.leave(org.id),
      ]);
      const { rows } = await server.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM org_members WHERE org_id = $1 AND role = 'owner'",
        [org.id],
      );
      expect(rows[0]!.n, JSON.stringify(results.map((r) => r.status))).toBeGreaterThanOrEqual(1);
    }
  });
});
