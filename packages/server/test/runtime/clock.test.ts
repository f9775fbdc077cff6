import { movableClock, startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, failure, signUp } from '../identity/helpers.js';

// Every expiry reads the server's injected clock, never the database's now(): moving this clock
// expires tokens, invitations and keys without waiting and without touching the database.
const clock = movableClock();
const HOUR = 3600_000;
const DAY = 24 * HOUR;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ clock });
});
afterAll(() => server.close());
const later = (ms: number) => {
  clock.offsetMs += ms;
};

describe('one clock', () => {
  it('a refresh token expires when the clock passes its lifetime', async () => {
    clock.offsetMs = 0;
    const user = await signUp(server, 'clock-refresh');
    const { refreshToken } = await server
      .client()
      .auth.login({ email: user.email, password: 'a long enough password' });
    later(29 * DAY);
    const rotated = await server.client().auth.refresh(refreshToken);
    later(30 * DAY + 1000);
    const expired = await failure(server.client().auth.refresh(rotated.refreshToken));
    expect(expired.status).toBe(401);
    expect(expired.detail).toBe('Token expired');
  });

  it('an invitation expires after seven days by the clock, and resending renews it', async () => {
    clock.offsetMs = 0;
    const owner = await signUp(server, 'clock-owner');
    const org = await owner.pm.orgs.create({ name: 'Clock Co' });
    const guest = await signUp(server, 'clock-guest');
    const mark = server.mail.mark();
    const invitation = await owner.pm.invitations.create(org.id, { email: guest.email });
    const token = await server.mail.token(guest.email, /invited you/, { after: mark });
    expect(new Date(invitation.expiresAt).getTime()).toBeGreaterThan(clock.now().getTime());

    later(7 * DAY + 1000);
    expect(await owner.pm.invitations.list(org.id).toArray()).toEqual([]);
    // The access tokens expired with the move too: sign in again at the new time.
    const owner2 = server.client();
    await owner2.auth.login({ email: owner.email, password: 'a long enough password' });
    const guest2 = server.client();
    await guest2.auth.login({ email: guest.email, password: 'a long enough password' });
    const refused = await failure(guest2.invitations.accept(token));
    expect(refused.status).toBe(404);
    expect(refused.detail).toContain('expired');

    const resendMark = server.mail.mark();
    const renewed = await owner2.invitations.resend(org.id, invitation.id);
    const renewedFor = new Date(renewed.expiresAt).getTime() - clock.now().getTime();
    expect(Math.abs(renewedFor - 7 * DAY)).toBeLessThan(5_000);
    const fresh = await server.mail.token(guest.email, /invited you/, { after: resendMark });
    expect((await guest2.invitations.accept(fresh)).id).toBe(org.id);
  });

  it('an API key expires at its time by the clock, even while cached', async () => {
    clock.offsetMs = 0;
    const owner = await signUp(server, 'clock-key');
    const org = await owner.pm.orgs.create({ name: 'Clock Keys' });
    const key = await owner.pm.apiKeys.create(org.id, {
      name: 'hour',
      scopes: ['orgs:read'],
      expiresAt: new Date(clock.now().getTime() + HOUR).toISOString(),
    });
    const script = server.client({ apiKey: key.secret });
    await script.orgs.get(org.id);
    later(HOUR - 60_000);
    await script.orgs.get(org.id);
    // The owner's SDK client refreshes its expired access token on its own.
    const [listed] = await owner.pm.apiKeys.list(org.id).toArray();
    // last_used_at is the clock's time of the latest recorded use.
    expect(Math.abs(new Date(listed!.lastUsedAt!).getTime() - clock.now().getTime())).toBeLessThan(
      5_000,
    );
    later(60_000);
    expect((await failure(script.orgs.get(org.id))).detail).toBe('Token expired');
  });

  it('a password reset token lasts an hour by the clock', async () => {
    clock.offsetMs = 0;
    const user = await signUp(server, 'clock-reset');
    const mark = server.mail.mark();
    await server.client().auth.requestPasswordReset(user.email);
    const token = await server.mail.token(user.email, /Reset your pmkit password/, {
      after: mark,
    });
    later(HOUR + 1000);
    const refused = await failure(
      server.client().auth.confirmPasswordReset({ token, password: 'a brand new password' }),
    );
    expect(refused.status).toBe(422);
  });

  it('a member removed has their keys revoked at the clock time', async () => {
    clock.offsetMs = 0;
    const owner = await signUp(server, 'clock-remove');
    const org = await owner.pm.orgs.create({ name: 'Clock Remove' });
    const member = await signUp(server, 'clock-member');
    await addMember(server, owner, org.id, member, 'member');
    await member.pm.apiKeys.create(org.id, { name: 'm', scopes: ['orgs:read'] });
    later(DAY);
    const owner2 = server.client();
    await owner2.auth.login({ email: owner.email, password: 'a long enough password' });
    await owner2.members.remove(org.id, member.userId);
    const { rows } = await server.db.query<{ revoked_at: Date }>(
      'SELECT revoked_at FROM api_keys WHERE org_id = $1 AND created_by = $2',
      [org.id, member.userId],
    );
    expect(Math.abs(rows[0]!.revoked_at.getTime() - clock.now().getTime())).toBeLessThan(5_000);
  });
});
