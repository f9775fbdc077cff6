import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, failure, signUp } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('API keys', () => {
  it('shows the secret once, stores it hashed, and records its use', async () => {
    const owner = await signUp(server, 'owner');
    const org = await owner.pm.orgs.create({ name: 'Keys Co' });
    const created = await owner.pm.apiKeys.create(org.id, {
      name: 'CI',
      scopes: ['orgs:read', 'members:read'],
    });
    expect(created.secret).toMatch(/^pmk_/);
    expect(created.lastUsedAt).toBeNull();

    const listed = await owner.pm.apiKeys.list(org.id).toArray();
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect(listed[0]).toMatchObject({ id: created.id, prefix: created.secret.slice(0, 12) });
    const { rows } = await server.db.query(
      'SELECT count(*)::int AS n FROM api_keys WHERE secret_hash = $1',
      [created.secret],
    );
    expect(rows[0]).toEqual({ n: 0 });

    const script = server.client({ apiKey: created.secret });
    expect((await script.orgs.get(org.id)).id).toBe(org.id);
    expect((await script.members.list(org.id).toArray()).length).toBe(1);
    const [after] = await owner.pm.apiKeys.list(org.id).toArray();
    expect(after!.lastUsedAt).not.toBeNull();
  });

  it('with tasks:read it cannot create anything', async () => {
    const owner = await signUp(server, 'owner');
    const org = await owner.pm.orgs.create({ name: 'Read Only' });
    const { secret } = await owner.pm.apiKeys.create(org.id, {
      name: 'reader',
      scopes: ['tasks:read'],
    });
    const script = server.client({ apiKey: secret });
    const attempts = [
      () => script.orgs.create({ name: 'Sneaky' }),
      () => script.invitations.create(org.id, { email: 'x@example.com' }),
      () => script.apiKeys.create(org.id, { name: 'more', scopes: ['tasks:write'] }),
      () => script.orgs.update(org.id, { name: 'Renamed' }),
      () => script.members.update(org.id, owner.userId, { role: 'admin' }),
    ];
    for (const attempt of attempts) {
      const error = await failure(attempt());
      expect(error.status, `${attempt}: ${error.message}`).toBe(403);
    }
    expect((await failure(script.orgs.get(org.id))).detail).toBe(
      'This API key lacks the orgs:read scope',
    );
    expect((await owner.pm.orgs.get(org.id)).name).toBe('Read Only');
  });

  it('is refused with 401 at once when revoked, and Token expired when expired', async () => {
    const owner = await signUp(server, 'owner');
    const org = await owner.pm.orgs.create({ name: 'Revoke Co' });
    const key = await owner.pm.apiKeys.create(org.id, { name: 'short', scopes: ['orgs:read'] });
    const script = server.client({ apiKey: key.secret });
    await script.orgs.get(org.id);
    await owner.pm.apiKeys.revoke(org.id, key.id);
    expect((await failure(script.orgs.get(org.id))).detail).toBe('Invalid token');

    const expiring = await owner.pm.apiKeys.create(org.id, {
      name: 'soon',
      scopes: ['orgs:read'],
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    await server.db.query(
      `UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [expiring.id],
    );
    expect(
      (await failure(server.client({ apiKey: expiring.secret }).orgs.get(org.id))).detail,
    ).toBe('Token expired');
    expect(
      (
        await failure(
          owner.pm.apiKeys.create(org.id, {
            name: 'past',
            scopes: ['orgs:read'],
            expiresAt: '2000-01-01T00:00:00Z',
          }),
        )
      ).status,
    ).toBe(422);
  });

  it('acts only in its own organization, and never above its creator', async () => {
    const owner = await signUp(server, 'owner');
    const mine = await owner.pm.orgs.create({ name: 'Mine' });
    const other = await owner.pm.orgs.create({ name: 'Other' });
    const viewer = await signUp(server, 'member');
    await addMember(server, owner, mine.id, viewer, 'member');
    const { secret } = await viewer.pm.apiKeys.create(mine.id, {
      name: 'v',
      scopes: ['members:write', 'orgs:read'],
    });
    const script = server.client({ apiKey: secret });
    expect((await failure(script.orgs.get(other.id))).status).toBe(404);
    expect((await script.orgs.list().toArray()).map((o) => o.id)).toEqual([mine.id]);
    const denied = await failure(script.members.update(mine.id, owner.userId, { role: 'viewer' }));
    expect(denied.status).toBe(403);
    expect(denied.detail).toContain('members:manage');

    // Removing the creator revokes their keys.
    await owner.pm.members.remove(mine.id, viewer.userId);
    expect((await failure(script.orgs.get(mine.id))).status).toBe(401);
  });

  it('members see and revoke their own keys; admins see all', async () => {
    const owner = await signUp(server, 'owner');
    const org = await owner.pm.orgs.create({ name: 'Shared Keys' });
    const member = await signUp(server, 'member');
    await addMember(server, owner, org.id, member, 'member');
    const ownerKey = await owner.pm.apiKeys.create(org.id, {
      name: 'owner',
      scopes: ['orgs:read'],
    });
    await member.pm.apiKeys.create(org.id, { name: 'member', scopes: ['orgs:read'] });
    expect((await member.pm.apiKeys.list(org.id).toArray()).map((k) => k.name)).toEqual(['member']);
    expect((await owner.pm.apiKeys.list(org.id).toArray()).map((k) => k.name)).toEqual([
      'member',
      'owner',
    ]);
    expect((await failure(member.pm.apiKeys.revoke(org.id, ownerKey.id))).status).toBe(403);
  });
});
