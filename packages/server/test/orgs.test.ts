import { type PmClient, PmError } from '@pmkit/sdk';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp as account, failure } from './identity/helpers.js';

let server: TestServer;
let n = 0;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function signUp(): Promise<PmClient> {
  const pm = server.client();
  await pm.auth.register({
    email: `org-user${++n}@example.com`,
    password: 'a long enough password',
    name: 'U',
  });
  return pm;
}

const statusOf = (promise: PromiseLike<unknown>) =>
  Promise.resolve(promise).then(
    () => 200,
    (e: unknown) => (e instanceof PmError ? e.status : -1),
  );

describe('organizations', () => {
  it('creates one with a slug from its name; the creator is its owner', async () => {
    const pm = await signUp();
    const org = await pm.orgs.create({ name: 'Ünïcode Café & Co.' });
    expect(org).toMatchObject({
      slug: 'unicode-cafe-co',
      name: 'Ünïcode Café & Co.',
      role: 'owner',
    });
    expect(await pm.orgs.get('unicode-cafe-co')).toEqual(org);
    expect(await pm.orgs.get(org.id)).toEqual(org);

    const { rows } = await server.db.query<{ action: string; org_id: string }>(
      `SELECT action, org_id FROM events WHERE entity = 'org' AND entity_id = $1`,
      [org.id],
    );
    expect(rows).toEqual([{ action: 'created', org_id: org.id }]);
  });

  it('refuses a taken slug with 409', async () => {
    const pm = await signUp();
    await pm.orgs.create({ name: 'Taken', slug: 'taken' });
    expect(await statusOf(pm.orgs.create({ name: 'Other', slug: 'taken' }))).toBe(409);
  });

  it('lists mine in pages, following cursors', async () => {
    const pm = await signUp();
    const created = [];
    for (let i = 0; i < 7; i++)
      created.push((await pm.orgs.create({ name: `Paged ${n} ${i}` })).id);
    const first = await pm.orgs.list({ limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).toEqual(expect.any(String));
    const all = [];
    for await (const org of pm.orgs.list({ limit: 3 })) all.push(org.id);
    expect(all).toEqual(created);
  });

  it('a cursor that the list did not return is a 400', async () => {
    const pm = await signUp();
    expect(await statusOf(pm.orgs.list({ cursor: 'bm9wZQ' }))).toBe(400);
  });

  it('another user’s organization is 404, by id and by slug, never 403', async () => {
    const owner = await signUp();
    const org = await owner.orgs.create({ name: 'Private' });
    const stranger = await signUp();
    expect(await statusOf(stranger.orgs.get(org.id))).toBe(404);
    expect(await statusOf(stranger.orgs.get(org.slug))).toBe(404);
    const listed = [];
    for await (const o of stranger.orgs.list()) listed.push(o.id);
    expect(listed).not.toContain(org.id);
  });
});

describe('forged cursors', () => {
  it('are a 400, whatever they hold, on every list', async () => {
    const pm = await signUp();
    const org = await pm.orgs.create({ name: 'Cursor Target' });
    const forged = (values: unknown) => Buffer.from(JSON.stringify(values)).toString('base64url');
    const cursors = [
      forged(['not a time', 'not a uuid']),
      forged([1, 2]),
      forged(['2026-01-01T00:00:00Z']),
      forged([-1]),
      'x',
    ];
    const lists = [
      (cursor: string) => pm.orgs.list({ cursor }),
      (cursor: string) => pm.members.list(org.id, { cursor }),
      (cursor: string) => pm.invitations.list(org.id, { cursor }),
      (cursor: string) => pm.apiKeys.list(org.id, { cursor }),
      (cursor: string) => pm.me.sessions.list({ cursor }),
      (cursor: string) =>
        pm.raw.GET('/v1/orgs/{org}/audit', {
          params: { path: { org: org.id }, query: { cursor } },
        }),
    ];
    for (const list of lists) {
      for (const cursor of cursors)
        expect(await statusOf(list(cursor)), `${list} ${cursor}`).toBe(400);
    }
  });
});

describe('the current organization (PM-Org, or an API key’s own)', () => {
  it('is the one PM-Org names, with your role; 400 without it; 404 outside it', async () => {
    const ada = await account(server, 'current');
    const mine = await ada.pm.orgs.create({ name: 'Current', slug: `current-${process.pid}` });
    const stranger = await account(server, 'stranger');
    const theirs = await stranger.pm.orgs.create({ name: 'Theirs' });

    const named = server.client({ token: ada.accessToken, org: mine.slug });
    await expect(named.orgs.current()).resolves.toMatchObject({ id: mine.id, role: 'owner' });
    await expect(ada.pm.orgs.current(mine.id)).resolves.toMatchObject({ slug: mine.slug });

    const unnamed = await failure(ada.pm.orgs.current());
    expect(unnamed.status).toBe(400);
    expect(unnamed.errors.map((e) => e.path)).toEqual(['/headers/pm-org']);
    expect((await failure(ada.pm.orgs.current(theirs.slug))).status).toBe(404);
  });

  it('is an API key’s own organization, whatever PM-Org says', async () => {
    const ada = await account(server, 'current-key');
    const mine = await ada.pm.orgs.create({ name: 'Keyed' });
    const other = await ada.pm.orgs.create({ name: 'Other' });
    const key = await ada.pm.apiKeys.create(mine.id, { name: 'k', scopes: ['orgs:read'] });
    const byKey = server.client({ apiKey: key.secret, org: other.id });
    await expect(byKey.orgs.current()).resolves.toMatchObject({ id: mine.id });
    const narrow = await ada.pm.apiKeys.create(mine.id, { name: 'n', scopes: ['audit:read'] });
    expect((await failure(server.client({ apiKey: narrow.secret }).orgs.current())).status).toBe(
      403,
    );
  });
});
