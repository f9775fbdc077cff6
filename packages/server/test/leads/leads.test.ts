import { movableClock, startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, addMember, failure, signUp } from '../identity/helpers.js';

let server: TestServer;
let owner: Account;
let manager: Account;
let member: Account;
let viewer: Account;
let org: string;
const clock = movableClock();
const HOUR = 3_600_000;

beforeAll(async () => {
  server = await startTestServer({ clock });
  owner = await signUp(server, 'lead-owner');
  org = (await owner.pm.orgs.create({ name: 'Leads Org' })).id;
  manager = await signUp(server, 'lead-manager');
  member = await signUp(server, 'lead-member');
  viewer = await signUp(server, 'lead-viewer');
  await addMember(server, owner, org, manager, 'manager');
  await addMember(server, owner, org, member, 'member');
  await addMember(server, owner, org, viewer, 'viewer');
});
afterAll(() => server.close());

describe('the pipeline', () => {
  it('is created on first use with the default statuses, and is editable', async () => {
    const statuses = await viewer.pm.leads.statuses.list(org);
    expect(statuses.map((s) => [s.name, s.category, s.position])).toEqual([
      ['new', 'open', 0],
      ['contacted', 'open', 1],
      ['qualified', 'open', 2],
      ['proposal', 'open', 3],
      ['won', 'won', 4],
      ['lost', 'lost', 5],
    ]);
    const visit = await manager.pm.leads.statuses.create(org, { name: 'Visit', position: 2 });
    expect(visit.position).toBe(2);
    const after = await owner.pm.leads.statuses.list(org);
    expect(after.map((s) => s.name)).toEqual([
      'new',
      'contacted',
      'Visit',
      'qualified',
      'proposal',
      'won',
      'lost',
    ]);
    const dup = await failure(manager.pm.leads.statuses.create(org, { name: 'visit' }));
    expect(dup.status).toBe(409);
    expect(dup.errors[0]!.path).toBe('/body/name');
    const moved = await manager.pm.leads.statuses.update(org, visit.id, {
      name: 'Site visit',
      position: 0,
    });
    expect(moved).toMatchObject({ name: 'Site visit', position: 0 });
    expect((await owner.pm.leads.statuses.list(org)).map((s) => s.position)).toEqual([
      0, 1, 2, 3, 4, 5, 6,
    ]);
    // In use: refused; once empty, removed.
    const lead = await owner.pm.leads.create(org, {
      name: 'Visitor',
      email: 'visitor@example.com',
      status: 'site visit',
    });
    expect(lead.status).toBe('Site visit');
    expect((await failure(manager.pm.leads.statuses.delete(org, visit.id))).status).toBe(409);
    await owner.pm.leads.update(lead.id, { status: 'new' });
    await manager.pm.leads.statuses.delete(org, visit.id);
    expect((await owner.pm.leads.statuses.list(org)).map((s) => s.name)).not.toContain(
      'Site visit',
    );
    expect((await failure(member.pm.leads.statuses.create(org, { name: 'x' }))).status).toBe(403);
  });
});

describe('leads', () => {
  it('need a name and an e-mail or a phone; the 400 names the field', async () => {
    const noContact = await failure(member.pm.leads.create(org, { name: 'Nobody' }));
    expect(noContact.status).toBe(400);
    expect(noContact.errors.map((e) => e.path)).toEqual(['/body/email']);
    const blank = await failure(
      member.pm.leads.create(org, { name: '  ', phone: '+44 20 7946 0000' }),
    );
    expect(blank.status).toBe(400);
    expect(blank.errors.map((e) => e.path)).toEqual(['/body/name']);
    const status = await failure(
      member.pm.leads.create(org, { name: 'A', email: 'a@example.com', status: 'nope' }),
    );
    expect(status.status).toBe(422);
    expect(status.errors.map((e) => e.path)).toEqual(['/body/status']);
    const stranger = await signUp(server, 'not-a-member');
    const foreignOwner = await failure(
      owner.pm.leads.create(org, { name: 'A', email: 'a@example.com', ownerId: stranger.userId }),
    );
    expect(foreignOwner.status).toBe(422);
    expect(foreignOwner.errors.map((e) => e.path)).toEqual(['/body/ownerId']);
  });

  it('are created with every field, owned by their creator, and recorded as an event', async () => {
    const lead = await member.pm.leads.create(org, {
      name: '  Élodie Martin ',
      email: 'Elodie@Example.com',
      phone: '+33 6 12 34 56 78',
      company: 'Maisons',
      title: 'Buyer',
      source: 'referral',
      tags: ['hot', 'paris'],
      notes: 'Met at the fair',
      nextFollowUpAt: '2030-01-01T09:00:00.000Z',
      preferences: { budget: 450000, area: 'Paris 11e', bedrooms: 3 },
      customFields: { campaign: 'spring' },
    });
    expect(lead).toMatchObject({
      name: 'Élodie Martin',
      email: 'Elodie@Example.com',
      status: 'new',
      ownerId: member.userId,
      createdBy: member.userId,
      score: 0,
      scoreBreakdown: [],
      tags: ['hot', 'paris'],
      preferences: { budget: 450000, area: 'Paris 11e', bedrooms: 3 },
      customFields: { campaign: 'spring' },
      lostReason: null,
    });
    const { rows } = await server.db.query<{ email_norm: string; phone_norm: string }>(
      'SELECT email_norm, phone_norm FROM leads WHERE id = $1',
      [lead.id],
    );
    expect(rows[0]).toEqual({ email_norm: 'elodie@example.com', phone_norm: '+33612345678' });
    const { rows: events } = await server.db.query<{ action: string }>(
      "SELECT entity || '.' || action AS action FROM events WHERE entity_id = $1",
      [lead.id],
    );
    expect(events).toEqual([{ action: 'lead.created' }]);
    expect(await viewer.pm.leads.get(lead.id)).toEqual(lead);
  });

  it('Members work the leads they own; others they read but may not change; Managers all', async () => {
    const theirs = await owner.pm.leads.create(org, { name: 'Owner lead', email: 'o@example.com' });
    expect((await member.pm.leads.get(theirs.id)).id).toBe(theirs.id);
    expect((await failure(member.pm.leads.update(theirs.id, { notes: 'mine now' }))).status).toBe(
      403,
    );
    expect((await failure(member.pm.leads.delete(theirs.id))).status).toBe(403);
    expect((await failure(viewer.pm.leads.update(theirs.id, { notes: 'x' }))).status).toBe(403);
    // A Member may not hand their lead to someone else, nor create one for someone else.
    const mine = await member.pm.leads.create(org, { name: 'Mine', email: 'mine@example.com' });
    expect((await failure(member.pm.leads.update(mine.id, { ownerId: owner.userId }))).status).toBe(
      403,
    );
    expect(
      (
        await failure(
          member.pm.leads.create(org, { name: 'X', email: 'x@example.com', ownerId: owner.userId }),
        )
      ).status,
    ).toBe(403);
    const updated = await member.pm.leads.update(mine.id, { status: 'contacted', phone: '0612' });
    expect(updated).toMatchObject({ status: 'contacted', phone: '0612' });
    const reassigned = await manager.pm.leads.update(mine.id, { ownerId: manager.userId });
    expect(reassigned.ownerId).toBe(manager.userId);
    expect((await failure(member.pm.leads.update(mine.id, { notes: 'x' }))).status).toBe(403);
    await manager.pm.leads.delete(theirs.id);
    expect((await failure(owner.pm.leads.get(theirs.id))).status).toBe(404);
    const { rows } = await server.db.query<{ action: string; changes: Record<string, unknown> }>(
      'SELECT action, changes FROM events WHERE entity_id = $1 ORDER BY id',
      [mine.id],
    );
    expect(rows.map((r) => r.action)).toEqual(['created', 'updated', 'updated']);
    expect(rows[1]!.changes).toEqual({ status: 'contacted', phone: '0612' });
  });

  it('carry their version as ETag; an update with a stale If-Match is 412 and changes nothing', async () => {
    const lead = await owner.pm.leads.create(org, { name: 'Tagged', email: 'etag@example.com' });
    expect(lead.version).toBe(1);
    const read = await server.fetch(`${server.url}/v1/leads/${lead.id}`, {
      headers: { Authorization: `Bearer ${owner.accessToken}` },
    });
    expect(read.headers.get('etag')).toBe('"1"');
    const updated = await owner.pm.leads.update(lead.id, { notes: 'first' }, { ifMatch: '"1"' });
    expect(updated).toMatchObject({ notes: 'first', version: 2 });
    const stale = await failure(owner.pm.leads.update(lead.id, { notes: 'lost' }, { ifMatch: 1 }));
    expect(stale.status).toBe(412);
    expect(stale.problem.type).toBe('https://pmkit.dev/problems/stale-version');
    expect((await owner.pm.leads.get(lead.id)).notes).toBe('first');
    // Without If-Match, the last write wins as before.
    expect((await owner.pm.leads.update(lead.id, { notes: 'blind' })).version).toBe(3);
  });

  it('clearing both e-mail and phone is refused', async () => {
    const lead = await owner.pm.leads.create(org, { name: 'Clear', email: 'c@example.com' });
    const error = await failure(owner.pm.leads.update(lead.id, { email: null }));
    expect(error.status).toBe(400);
    expect(error.errors.map((e) => e.path)).toEqual(['/body/email']);
  });
});

describe('the list', () => {
  let listOrg: string;
  beforeAll(async () => {
    listOrg = (await owner.pm.orgs.create({ name: 'List Org' })).id;
    await addMember(server, owner, listOrg, member, 'member');
    const make = (i: number, extra: Record<string, unknown> = {}) =>
      owner.pm.leads.create(listOrg, {
        name: `Lead ${String(i).padStart(2, '0')}`,
        email: `lead${i}@example.com`,
        ...extra,
      });
    for (let i = 0; i < 12; i++) await make(i);
    await make(20, { source: 'Referral', tags: ['vip'], company: 'Acme Widgets' });
    await make(21, { status: 'won', ownerId: member.userId });
    await make(22, { nextFollowUpAt: new Date(clock.now().getTime() + HOUR).toISOString() });
  });

  it('pages by keyset without repeats or gaps, in any sort', async () => {
    const all = await owner.pm.leads.list(listOrg, { limit: 4 }).toArray();
    expect(all).toHaveLength(15);
    expect(new Set(all.map((l) => l.id)).size).toBe(15);
    const byName = await owner.pm.leads.list(listOrg, { limit: 5, sort: 'name' }).toArray();
    expect(byName.map((l) => l.name)).toEqual(all.map((l) => l.name).sort());
    const bad = await failure(owner.pm.leads.list(listOrg, { sort: 'email' }).toArray());
    expect(bad.errors[0]!.path).toBe('/query/sort');
  });

  it('filters by status, owner (me), source, tag, score, text and due follow-ups', async () => {
    const names = async (query: Record<string, unknown>) =>
      (await owner.pm.leads.list(listOrg, query).toArray()).map((l) => l.name).sort();
    expect(await names({ status: 'won' })).toEqual(['Lead 21']);
    expect(await names({ status: 'nonesuch' })).toEqual([]);
    expect(
      (await member.pm.leads.list(listOrg, { owner: 'me' }).toArray()).map((l) => l.name),
    ).toEqual(['Lead 21']);
    expect(await names({ owner: member.userId })).toEqual(['Lead 21']);
    expect(await names({ source: 'referral' })).toEqual(['Lead 20']);
    expect(await names({ tag: 'vip' })).toEqual(['Lead 20']);
    expect(await names({ q: 'widget' })).toEqual(['Lead 20']);
    expect(await names({ q: 'LEAD1@' })).toEqual(['Lead 01']);
    expect(await names({ q: '%' })).toEqual([]);
    expect(await names({ scoreMin: 1 })).toEqual([]);
    expect(await names({ scoreMax: 0 })).toHaveLength(15);
    expect(await names({ followUpDue: true })).toEqual([]);
    clock.offsetMs += 2 * HOUR;
    expect(await names({ followUpDue: true })).toEqual(['Lead 22']);
  });
});

describe('stats', () => {
  it('counts by status (every status), source and owner, and the conversion rate of a period', async () => {
    const statsOrg = (await owner.pm.orgs.create({ name: 'Stats Org' })).id;
    await addMember(server, owner, statsOrg, member, 'member');
    expect((await viewer.pm.leads.stats(org)).total).toBeGreaterThan(0);
    const none = await owner.pm.leads.stats(statsOrg);
    expect(none.total).toBe(0);
    expect(none.byStatus.map((s) => s.count)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(none.conversion).toEqual({ won: 0, lost: 0, converted: 0, rate: null });
    const start = clock.now().toISOString();
    const make = (status: string, source: string | null, mine = false) =>
      (mine ? member : owner).pm.leads.create(statsOrg, {
        name: 'S',
        email: 's@example.com',
        status,
        ...(source ? { source } : {}),
      });
    await make('won', 'referral');
    await make('won', 'web', true);
    await make('won', 'web', true);
    await make('lost', 'web');
    await make('new', null);
    const stats = await owner.pm.leads.stats(statsOrg);
    expect(stats.total).toBe(5);
    expect(stats.byStatus.map((s) => [s.status, s.count])).toEqual([
      ['new', 1],
      ['contacted', 0],
      ['qualified', 0],
      ['proposal', 0],
      ['won', 3],
      ['lost', 1],
    ]);
    expect(stats.bySource).toEqual([
      { source: 'web', count: 3 },
      expect.objectContaining({ count: 1 }),
      expect.objectContaining({ count: 1 }),
    ]);
    expect(stats.byOwner).toEqual([
      { ownerId: owner.userId, count: 3 },
      { ownerId: member.userId, count: 2 },
    ]);
    expect(stats.conversion).toEqual({ won: 3, lost: 1, converted: 0, rate: 0.75 });
    // A period after all of them: nothing.
    clock.offsetMs += HOUR;
    const later = await owner.pm.leads.stats(statsOrg, { since: clock.now().toISOString() });
    expect(later.total).toBe(0);
    const within = await owner.pm.leads.stats(statsOrg, {
      since: start,
      until: clock.now().toISOString(),
    });
    expect(within.total).toBe(5);
  });
});

describe('scoring', () => {
  it('scores every lead by the rules it matches, with a breakdown, on every change', async () => {
    const scoreOrg = (await owner.pm.orgs.create({ name: 'Score Org' })).id;
    const before = await owner.pm.leads.create(scoreOrg, {
      name: 'Early',
      email: 'early@example.com',
      source: 'Referral',
    });
    expect(before.score).toBe(0);
    const referral = await owner.pm.leads.scoringRules.create(scoreOrg, {
      field: 'source',
      operator: 'equals',
      value: 'referral',
      points: 20,
    });
    expect(referral.description).toBe('source equals "referral"');
    await owner.pm.leads.scoringRules.create(scoreOrg, {
      description: 'has a company',
      field: 'company',
      operator: 'present',
      points: 10,
    });
    await owner.pm.leads.scoringRules.create(scoreOrg, {
      field: 'tags',
      operator: 'equals',
      value: 'VIP',
      points: 5,
    });
    // Existing leads are scored again when the rules change.
    expect(await owner.pm.leads.get(before.id)).toMatchObject({
      score: 20,
      scoreBreakdown: [{ rule: 'source equals "referral"', points: 20 }],
    });
    const lead = await owner.pm.leads.create(scoreOrg, {
      name: 'Full',
      email: 'full@example.com',
      source: 'referral',
      company: 'Acme',
      tags: ['vip'],
    });
    expect(lead.score).toBe(35);
    expect(lead.scoreBreakdown.map((p) => p.points)).toEqual([20, 10, 5]);
    const changed = await owner.pm.leads.update(lead.id, { company: null, source: 'web' });
    expect(changed).toMatchObject({
      score: 5,
      scoreBreakdown: [{ rule: 'tags equals "VIP"', points: 5 }],
    });
    expect(
      (await owner.pm.leads.list(scoreOrg, { scoreMin: 10 }).toArray()).map((l) => l.name),
    ).toEqual(['Early']);
    const imported = await owner.pm.leads.import(
      scoreOrg,
      'Name,Email,Company,Source\nImp,imp@example.com,Widgets,referral\n',
    );
    expect(imported.created).toBe(1);
    const [imp] = await owner.pm.leads.list(scoreOrg, { q: 'imp@' }).toArray();
    expect(imp!.score).toBe(30);
    await owner.pm.leads.scoringRules.update(scoreOrg, referral.id, { points: 50 });
    expect((await owner.pm.leads.get(imp!.id)).score).toBe(60);
    await owner.pm.leads.scoringRules.delete(scoreOrg, referral.id);
    expect((await owner.pm.leads.get(imp!.id)).score).toBe(10);
    const bad = await failure(
      owner.pm.leads.scoringRules.create(scoreOrg, {
        field: 'source',
        operator: 'contains',
        points: 1,
      }),
    );
    expect(bad.errors.map((e) => e.path)).toEqual(['/body/value']);
    expect(
      (
        await failure(
          member.pm.leads.scoringRules.create(org, {
            field: 'email',
            operator: 'present',
            points: 1,
          }),
        )
      ).status,
    ).toBe(403);
  });
});
