import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, addMember, failure, signUp } from '../identity/helpers.js';

let server: TestServer;
let owner: Account;
let viewer: Account;
let org: string;

beforeAll(async () => {
  server = await startTestServer();
  owner = await signUp(server, 'filter-owner');
  org = (await owner.pm.orgs.create({ name: 'Filter Org' })).id;
  viewer = await signUp(server, 'filter-viewer');
  await addMember(server, owner, org, viewer, 'viewer');
});
afterAll(() => server.close());

describe('saved lead filters', () => {
  it('are saved, listed by name and deleted; their query runs as the list query', async () => {
    const hot = await owner.pm.leads.filters.create(org, {
      name: 'Hot and due',
      query: { owner: 'me', tag: 'hot', scoreMin: 10, followUpDue: true },
    });
    expect(hot).toMatchObject({
      name: 'Hot and due',
      query: { owner: 'me', tag: 'hot', scoreMin: 10, followUpDue: true },
    });
    await owner.pm.leads.filters.create(org, {
      name: 'all referrals',
      query: { source: 'referral' },
    });
    const mine = await owner.pm.leads.filters.list(org);
    expect(mine.map((f) => f.name)).toEqual(['all referrals', 'Hot and due']);
    await owner.pm.leads.create(org, {
      name: 'Referred',
      email: 'referred@example.com',
      source: 'referral',
    });
    const referrals = mine.find((f) => f.name === 'all referrals')!;
    const listed = await owner.pm.leads.list(org, referrals.query).toArray();
    expect(listed.map((l) => l.name)).toEqual(['Referred']);
    await owner.pm.leads.filters.delete(org, hot.id);
    expect((await owner.pm.leads.filters.list(org)).map((f) => f.name)).toEqual(['all referrals']);
    expect((await failure(owner.pm.leads.filters.delete(org, hot.id))).status).toBe(404);
  });

  it('are private: another person neither sees nor deletes them (404), and may reuse the name', async () => {
    const mine = await owner.pm.leads.filters.create(org, { name: 'Private', query: { q: 'x' } });
    expect((await viewer.pm.leads.filters.list(org)).map((f) => f.id)).not.toContain(mine.id);
    const theirs = await failure(viewer.pm.leads.filters.delete(org, mine.id));
    expect(theirs.status).toBe(404);
    expect(theirs.problem.detail).toBe('No such lead filter');
    expect((await owner.pm.leads.filters.list(org)).map((f) => f.id)).toContain(mine.id);
    // Viewers read leads, so they keep filters of their own, under any name.
    const same = await viewer.pm.leads.filters.create(org, { name: 'private', query: { q: 'y' } });
    expect((await viewer.pm.leads.filters.list(org)).map((f) => f.id)).toEqual([same.id]);
  });

  it('refuses a name already taken by the same person (any case), and a range matching nothing', async () => {
    await owner.pm.leads.filters.create(org, { name: 'Taken', query: { tag: 'a' } });
    const taken = await failure(
      owner.pm.leads.filters.create(org, { name: ' taken ', query: { tag: 'b' } }),
    );
    expect(taken.status).toBe(409);
    expect(taken.problem.type).toBe('https://pmkit.dev/problems/lead-filter-name-taken');
    const range = await failure(
      owner.pm.leads.filters.create(org, { name: 'Empty', query: { scoreMin: 5, scoreMax: 1 } }),
    );
    expect(range.status).toBe(400);
    expect(range.errors.map((e) => e.path)).toEqual(['/body/query/scoreMin']);
    const none = await failure(owner.pm.leads.filters.create(org, { name: 'None', query: {} }));
    expect(none.status).toBe(400);
    const blank = await failure(
      owner.pm.leads.filters.create(org, { name: '   ', query: { tag: 'a' } }),
    );
    expect(blank.errors.map((e) => e.path)).toEqual(['/body/name']);
  });
});
