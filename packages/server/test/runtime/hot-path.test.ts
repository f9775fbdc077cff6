import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../../src/db/types.js';
import { addMember, failure, PASSWORD, signUp } from '../identity/helpers.js';

/** Every statement the server sends, inside transactions too, but the background workers'. */
const sent: string[] = [];
const BACKGROUND = /\b(mail_outbox|jobs|idempotency_keys)\b/;
function counting(db: Database): Database {
  const count = (target: Queryable): Queryable => ({
    query: ((sql: string, params?: unknown[]) => {
      if (!BACKGROUND.test(sql)) sent.push(sql);
      return target.query(sql, params);
    }) as Queryable['query'],
    exec: (sql) => {
      sent.push(sql);
      return target.exec(sql);
    },
  });
  return {
    ...count(db),
    kind: db.kind,
    transaction: (work) => db.transaction((tx) => work(count(tx))),
    close: () => db.close(),
    ...(db.listen ? { listen: db.listen.bind(db) } : {}),
  };
}

async function queriesOf(work: () => Promise<unknown>): Promise<string[]> {
  const from = sent.length;
  await work();
  return sent.slice(from);
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ wrapDatabase: counting });
});
afterAll(() => server.close());

describe('the hot path', () => {
  it('an authenticated list is one query once the caches are warm (access token)', async () => {
    const user = await signUp(server, 'hot');
    for (let i = 0; i < 3; i++) await user.pm.orgs.create({ name: `Hot ${i}` });
    await user.pm.orgs.list().toArray();
    const queries = await queriesOf(() => user.pm.orgs.list().toArray());
    expect(queries, queries.join('\n')).toHaveLength(1);
    expect(queries[0]).toMatch(/FROM org_members m JOIN orgs/);
  });

  it('an organization read by API key is one query once the caches are warm', async () => {
    const owner = await signUp(server, 'hot-key');
    const org = await owner.pm.orgs.create({ name: 'Hot Key' });
    const { secret } = await owner.pm.apiKeys.create(org.id, {
      name: 'ci',
      scopes: ['members:read'],
    });
    const script = server.client({ apiKey: secret });
    await script.members.list(org.id).toArray();
    const queries = await queriesOf(() => script.members.list(org.id).toArray());
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatch(/FROM org_members m JOIN users/);
  });

  it('a timer start and a timer stop are one statement each, the event in it', async () => {
    const owner = await signUp(server, 'hot-timer');
    const org = await owner.pm.orgs.create({ name: 'Hot Timer' });
    const pm = server.client({ token: owner.accessToken, org: org.id });
    await pm.projects.create(org.id, { key: 'HOT', name: 'Hot' });
    await pm.tasks.create('HOT', { title: 'Timed' });
    await pm.timer.start({ task: 'HOT-1' });
    await pm.timer.stop();
    const start = await queriesOf(() => pm.timer.start({ task: 'HOT-1' }));
    expect(start, start.join('\n')).toHaveLength(1);
    expect(start[0]).toMatch(/INSERT INTO events/);
    const stop = await queriesOf(() => pm.timer.stop());
    expect(stop, stop.join('\n')).toHaveLength(1);
    expect(stop[0]).toMatch(/INSERT INTO events/);
  });
});

describe('revocation with warm caches takes effect on the next request', () => {
  it('logout', async () => {
    const user = await signUp(server, 'warm-logout');
    const same = server.client({ token: user.accessToken });
    await same.me.get();
    await user.pm.auth.logout();
    expect((await failure(same.me.get())).detail).toBe('Invalid token');
  });

  it('a session revoked by id, and the other sessions on a password change', async () => {
    const user = await signUp(server, 'warm-sessions');
    const second = server.client();
    await second.auth.login({ email: user.email, password: PASSWORD });
    const third = server.client();
    await third.auth.login({ email: user.email, password: PASSWORD });
    await second.me.get();
    await third.me.get();
    const target = (await second.me.sessions.list().toArray()).find((s) => s.current)!;
    await user.pm.me.sessions.revoke(target.id);
    expect((await failure(second.me.get())).status).toBe(401);
    await user.pm.me.changePassword({ currentPassword: PASSWORD, newPassword: 'new password 1' });
    expect((await failure(third.me.get())).status).toBe(401);
    await user.pm.me.get();
  });

  it('every session on a password reset', async () => {
    const user = await signUp(server, 'warm-reset');
    await user.pm.me.get();
    const mark = server.mail.mark();
    await server.client().auth.requestPasswordReset(user.email);
    const token = await server.mail.token(user.email, /Reset your pmkit password/, {
      after: mark,
    });
    await server.client().auth.confirmPasswordReset({ token, password: 'a brand new password' });
    expect((await failure(user.pm.me.get())).detail).toBe('Invalid token');
  });

  it('an API key revoked, and the keys of a member removed', async () => {
    const owner = await signUp(server, 'warm-keys');
    const org = await owner.pm.orgs.create({ name: 'Warm Keys' });
    const key = await owner.pm.apiKeys.create(org.id, { name: 'k', scopes: ['orgs:read'] });
    const script = server.client({ apiKey: key.secret });
    await script.orgs.get(org.id);
    await owner.pm.apiKeys.revoke(org.id, key.id);
    expect((await failure(script.orgs.get(org.id))).detail).toBe('Invalid token');

    const member = await signUp(server, 'warm-member');
    await addMember(server, owner, org.id, member, 'member');
    const theirs = server.client({
      apiKey: (await member.pm.apiKeys.create(org.id, { name: 'm', scopes: ['orgs:read'] })).secret,
    });
    await theirs.orgs.get(org.id);
    await member.pm.orgs.get(org.id);
    await owner.pm.members.remove(org.id, member.userId);
    expect((await failure(theirs.orgs.get(org.id))).status).toBe(401);
    expect((await failure(member.pm.orgs.get(org.id))).status).toBe(404);
  });

  it('a role lowered, and a slug renamed', async () => {
    const owner = await signUp(server, 'warm-role');
    const org = await owner.pm.orgs.create({ name: 'Warm Role', slug: 'warm-role' });
    const admin = await signUp(server, 'warm-admin');
    await addMember(server, owner, org.id, admin, 'admin');
    await admin.pm.invitations.list(org.id).toArray();
    await owner.pm.members.update(org.id, admin.userId, { role: 'viewer' });
    expect((await failure(admin.pm.invitations.list(org.id).toArray())).status).toBe(403);

    expect((await owner.pm.orgs.get('warm-role')).id).toBe(org.id);
    await owner.pm.orgs.update(org.id, { slug: 'warm-role-2' });
    expect((await failure(owner.pm.orgs.get('warm-role'))).status).toBe(404);
    expect((await owner.pm.orgs.get('warm-role-2')).name).toBe('Warm Role');
  });
});
