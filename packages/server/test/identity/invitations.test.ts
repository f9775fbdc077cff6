import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, failure, PASSWORD, signUp } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('invitations by e-mail', () => {
  it('a script invites a second user, who reads the token from the mail and joins as a Member', async () => {
    const owner = await signUp(server, 'owner');
    const org = await owner.pm.orgs.create({ name: 'Invite Co' });
    const inviteeEmail = `newcomer-${process.pid}@example.com`;
    const invitation = await owner.pm.invitations.create(org.slug, { email: inviteeEmail });
    expect(invitation).toMatchObject({
      email: inviteeEmail,
      role: 'member',
      invitedBy: owner.userId,
    });
    expect(JSON.stringify(invitation)).not.toContain('pmi_');

    const mail = await server.mail.next(inviteeEmail, (m) =>
      /invited you to Invite Co/.test(m.subject),
    );
    const token = /^Token: (pmi_\S+)$/m.exec(mail.text)![1]!;
    expect(mail.text).toContain(`pm invite accept ${token}`);

    // Whoever holds the token may see what it is for, before having an account.
    const invitee = server.client();
    expect(await invitee.invitations.get(token)).toEqual({
      email: inviteeEmail,
      orgName: 'Invite Co',
      role: 'member',
      expiresAt: invitation.expiresAt,
    });
    await invitee.auth.register({ email: inviteeEmail, password: PASSWORD, name: 'Newcomer' });
    const joined = await invitee.invitations.accept(token);
    expect(joined).toMatchObject({ id: org.id, role: 'member' });

    // As a Member it cannot remove members: 403 naming the permission. The Owner can.
    const denied = await failure(invitee.members.remove(org.slug, owner.userId));
    expect(denied.status).toBe(403);
    expect(denied.detail).toContain('members:manage');
    const me = await invitee.me.get();
    await owner.pm.members.remove(org.slug, me.id);
    expect((await failure(invitee.orgs.get(org.slug))).status).toBe(404);

    expect((await failure(invitee.invitations.accept(token))).status).toBe(404);
    expect((await failure(invitee.invitations.get(token))).status).toBe(404);
    expect((await failure(invitee.invitations.get('pmi_unknown'))).status).toBe(404);
  });

  it('revoked, declined and mismatched invitations do not work', async () => {
    const owner = await signUp(server, 'owner');
    const org = await owner.pm.orgs.create({ name: 'Strict Co' });
    const a = await signUp(server, 'a');
    const b = await signUp(server, 'b');

    const first = await owner.pm.invitations.create(org.id, { email: a.email, role: 'viewer' });
    const token = await server.mail.token(a.email, /Strict Co/);
    expect((await failure(b.pm.invitations.accept(token))).status).toBe(404);
    await owner.pm.invitations.revoke(org.id, first.id);
    expect((await failure(a.pm.invitations.accept(token))).status).toBe(404);

    const mark = server.mail.mark();
    await owner.pm.invitations.create(org.id, { email: a.email });
    const second = await server.mail.token(a.email, /Strict Co/, { after: mark });
    expect(second).not.toBe(token);
    await server.client().invitations.decline(second);
    expect((await failure(a.pm.invitations.accept(second))).status).toBe(404);
  });

  it('a pending invitation is listed once and can be resent with a new token', async () => {
    const owner = await signUp(server, 'owner');
    const org = await owner.pm.orgs.create({ name: 'Resend Co' });
    const email = `resend-${process.pid}@example.com`;
    const invitation = await owner.pm.invitations.create(org.id, { email });
    expect((await failure(owner.pm.invitations.create(org.id, { email }))).status).toBe(409);
    const oldToken = await server.mail.token(email, /Resend Co/);
    const mark = server.mail.mark();
    const resent = await owner.pm.invitations.resend(org.id, invitation.id);
    const newToken = await server.mail.token(email, /Resend Co/, { after: mark });
    expect(newToken).not.toBe(oldToken);
    expect(resent.id).toBe(invitation.id);
    const listed = await owner.pm.invitations.list(org.id).toArray();
    expect(listed.map((i) => i.id)).toEqual([invitation.id]);
  });

  it('only an Owner may invite an Owner', async () => {
    const owner = await signUp(server, 'owner');
    const org = await owner.pm.orgs.create({ name: 'Owner Co' });
    const admin = await signUp(server, 'admin');
    await addMember(server, owner, org.id, admin, 'admin');
    const error = await failure(
      admin.pm.invitations.create(org.id, { email: 'x@example.com', role: 'owner' }),
    );
    expect(error.status).toBe(403);
  });
});

describe('registration by invitation only', () => {
  it('lets the first account in, then only those with a live invitation for their address', async () => {
    const inviteOnly = await startTestServer({ config: { registration: 'invite' } });
    try {
      const founder = inviteOnly.client();
      await founder.auth.register({
        email: 'founder@example.com',
        password: PASSWORD,
        name: 'Founder',
      });
      const org = await founder.orgs.create({ name: 'Closed Doors' });

      const refused = await failure(
        inviteOnly
          .client()
          .auth.register({ email: 'walk-in@example.com', password: PASSWORD, name: 'W' }),
      );
      expect(refused.status).toBe(403);
      expect(refused.detail).toContain('invitation');

      await founder.invitations.create(org.id, { email: 'guest@example.com' });
      const token = await inviteOnly.mail.token('guest@example.com', /invited you/);
      const wrongAddress = await failure(
        inviteOnly.client().auth.register({
          email: 'other@example.com',
          password: PASSWORD,
          name: 'O',
          invitationToken: token,
        }),
      );
      expect(wrongAddress.status).toBe(403);
      const guest = inviteOnly.client();
      await guest.auth.register({
        email: 'guest@example.com',
        password: PASSWORD,
        name: 'G',
        invitationToken: token,
      });
      expect((await guest.invitations.accept(token)).role).toBe('member');
    } finally {
      await inviteOnly.close();
    }
  });
});
