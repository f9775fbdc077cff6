import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, failure, signUp } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('members and roles', () => {
  it('the last Owner can neither leave nor be demoted; after a transfer they can', async () => {
    const owner = await signUp(server, 'owner');
    const org = await owner.pm.orgs.create({ name: 'Lonely Owner' });
    expect((await failure(owner.pm.members.leave(org.id))).status).toBe(409);
    expect(
      (await failure(owner.pm.members.update(org.id, owner.userId, { role: 'admin' }))).status,
    ).toBe(409);

    const heir = await signUp(server, 'heir');
    await addMember(server, owner, org.id, heir, 'member');
    const after = await owner.pm.orgs.transferOwnership(org.id, heir.userId);
    expect(after.role).toBe('admin');
    expect((await heir.pm.orgs.get(org.id)).role).toBe('owner');
    await owner.pm.members.leave(org.id);
    const members = await heir.pm.members.list(org.id).toArray();
    expect(members.map((m) => [m.email, m.role])).toEqual([[heir.email, 'owner']]);
  });

  it('admins manage those below them, never owners', async () => {
    const owner = await signUp(server, 'owner');
    const org = await owner.pm.orgs.create({ name: 'Ranks' });
    const admin = await signUp(server, 'admin');
    const member = await signUp(server, 'member');
    await addMember(server, owner, org.id, admin, 'admin');
    await addMember(server, owner, org.id, member, 'member');

    expect((await admin.pm.members.update(org.id, member.userId, { role: 'manager' })).role).toBe(
      'manager',
    );
    expect(
      (await failure(admin.pm.members.update(org.id, member.userId, { role: 'owner' }))).status,
    ).toBe(403);
    expect((await failure(admin.pm.members.remove(org.id, owner.userId))).status).toBe(403);
    await admin.pm.members.remove(org.id, member.userId);

    const events = await owner.pm.audit.list(org.id, { action: 'member.role_changed' }).toArray();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      // Named, so a person can read the log without looking ids up.
      actor: { kind: 'user', id: admin.userId, email: admin.email, name: expect.any(String) },
      changes: { from: 'member', to: 'manager' },
    });
  });

  it('lists members in pages', async () => {
    const owner = await signUp(server, 'owner');
    const org = await owner.pm.orgs.create({ name: 'Many' });
    for (let i = 0; i < 3; i++)
      await addMember(server, owner, org.id, await signUp(server, 'm'), 'viewer');
    const page = await owner.pm.members.list(org.id, { limit: 2 });
    expect(page.items).toHaveLength(2);
    expect((await owner.pm.members.list(org.id, { limit: 2 }).toArray()).length).toBe(4);
  });

  it('renames an organization and refuses a taken slug', async () => {
    const owner = await signUp(server, 'owner');
    const org = await owner.pm.orgs.create({ name: 'Before' });
    await owner.pm.orgs.create({ name: 'Taken Slug', slug: 'taken-slug' });
    const renamed = await owner.pm.orgs.update(org.id, { name: 'After', slug: 'after-rename' });
    expect(renamed).toMatchObject({ name: 'After', slug: 'after-rename', role: 'owner' });
    expect((await failure(owner.pm.orgs.update(org.id, { slug: 'taken-slug' }))).status).toBe(409);
  });
});

describe('audit', () => {
  it('is for Owners and Admins, newest first, filtered and paged', async () => {
    const owner = await signUp(server, 'owner');
    const org = await owner.pm.orgs.create({ name: 'Audited' });
    const viewer = await signUp(server, 'viewer');
    await addMember(server, owner, org.id, viewer, 'viewer');
    await owner.pm.apiKeys.create(org.id, { name: 'ci', scopes: ['orgs:read'] });

    const all = await owner.pm.audit.list(org.id).toArray();
    // The org's events, and its members' account events (registration, sign-ins) among them.
    const orgEvents = all.filter((e) => !/^(user|session)\./.test(e.action));
    expect(orgEvents.map((e) => e.action)).toEqual([
      'api_key.created',
      'member.joined',
      'invitation.created',
      'org.created',
    ]);
    const registered = all.filter((e) => e.action === 'user.registered').map((e) => e.actor.id);
    expect(registered.sort()).toEqual([owner.userId, viewer.userId].sort());
    const stranger = await signUp(server, 'stranger');
    await failure(stranger.pm.auth.login({ email: viewer.email, password: 'wrong password' }));
    const failed = await owner.pm.audit.list(org.id, { action: 'session.login_failed' }).toArray();
    expect(failed.map((e) => e.actor.id)).toEqual([viewer.userId]);
    const strangers = await owner.pm.audit.list(org.id, { actor: stranger.userId }).toArray();
    expect(strangers).toEqual([]);
    expect(all[0]!.id).toBeGreaterThan(all[1]!.id);
    const page = await owner.pm.audit.list(org.id, { limit: 1, action: 'org.created' });
    expect(page.items).toHaveLength(1);
    expect(page.nextCursor).toBeNull();
    const since = await owner.pm.audit
      .list(org.id, { since: new Date(Date.now() + 60_000).toISOString() })
      .toArray();
    expect(since).toEqual([]);

    const denied = await failure(viewer.pm.audit.list(org.id));
    expect(denied.status).toBe(403);
    expect(denied.detail).toContain('audit:read');
  });
});
