import { randomUUID } from 'node:crypto';
import type { Lead, PmClient } from '@pmkit/sdk';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../../src/db/types.js';
import { type Account, addMember, failure, signUp } from '../identity/helpers.js';

/** The statements requests send (not the background workers'), inside transactions too. */
const sent: string[] = [];
const BACKGROUND = /\b(mail_outbox|jobs|idempotency_keys|follow_up_notified_at)\b/;
function counting(db: Database): Database {
  const count = (target: Queryable): Queryable => ({
    query: ((sql: string, params?: unknown[]) => {
      if (!BACKGROUND.test(sql)) sent.push(sql);
      return target.query(sql, params);
    }) as Queryable['query'],
    exec: (sql) => target.exec(sql),
  });
  return {
    ...count(db),
    kind: db.kind,
    transaction: (work) => db.transaction((tx) => work(count(tx))),
    close: () => db.close(),
    ...(db.listen ? { listen: db.listen.bind(db) } : {}),
  };
}

let server: TestServer;
let owner: Account;
let member: Account;
let org: string;
/** Clients that act in the org (bulk names no org in its path: PM-Org does). */
let boss: PmClient;
let staff: PmClient;
let ownerLeads: Lead[];
let memberLeads: Lead[];

beforeAll(async () => {
  server = await startTestServer({ wrapDatabase: counting });
  owner = await signUp(server, 'bulk-lead-owner');
  org = (await owner.pm.orgs.create({ name: 'Bulk Leads' })).id;
  member = await signUp(server, 'bulk-lead-member');
  await addMember(server, owner, org, member, 'member');
  boss = server.client({ token: owner.accessToken, org });
  staff = server.client({ token: member.accessToken, org });
  await boss.leads.scoringRules.create(org, {
    field: 'status',
    operator: 'equals',
    value: 'won',
    points: 50,
  });
  ownerLeads = [];
  memberLeads = [];
  for (let i = 0; i < 6; i++) {
    const lead = { name: `L${i}`, email: `l${i}@example.com`, tags: ['old', 'keep'] };
    ownerLeads.push(await boss.leads.create(org, lead));
    memberLeads.push(await staff.leads.create(org, { ...lead, name: `M${i}` }));
  }
});
afterAll(() => server.close());

const rows = async (ids: string[]) =>
  (
    await server.db.query(
      `SELECT id, status_id, owner_id, tags, score, version, deleted_at FROM leads
       WHERE id = ANY($1::uuid[]) ORDER BY id`,
      [ids],
    )
  ).rows;
const ids = (leads: Lead[]) => leads.map((l) => l.id);

describe('bulk changes to leads', () => {
  it('moves many leads to a status in one go, rescoring them, one event each', async () => {
    const targets = [...ownerLeads.slice(0, 3), ...memberLeads.slice(0, 2)];
    const result = await boss.leads.bulk(ids(targets), { status: 'WON' });
    expect(result).toEqual({
      applied: 5,
      failed: 0,
      results: targets.map((l) => ({ lead: l.id, ok: true, id: l.id })),
    });
    const after = await boss.leads.get(targets[0]!.id);
    expect(after).toMatchObject({ status: 'won', score: 50, version: 2 });
    expect(after.scoreBreakdown).toEqual([{ rule: 'status equals "won"', points: 50 }]);
    const { rows: events } = await server.db.query(
      `SELECT entity_id, changes FROM events WHERE entity = 'lead' AND action = 'updated'
       AND entity_id = ANY($1::text[])`,
      [ids(targets)],
    );
    expect(events).toHaveLength(5);
    expect(events[0]!.changes).toEqual({ status: 'WON' });
  });

  it('Members change only the leads they own: the others fail alone with 403', async () => {
    const mixed = [memberLeads[3]!, ownerLeads[3]!, memberLeads[4]!];
    const before = await rows(ids([ownerLeads[3]!]));
    const result = await staff.leads.bulk(ids(mixed), { tags: { add: ['vip'] } });
    expect(result.applied).toBe(2);
    expect(result.results.map((r) => [r.ok, r.error?.status])).toEqual([
      [true, undefined],
      [false, 403],
      [true, undefined],
    ]);
    expect(await rows(ids([ownerLeads[3]!]))).toEqual(before);
    expect((await staff.leads.get(memberLeads[3]!.id)).tags).toEqual(['old', 'keep', 'vip']);
    // A Manager changes anyone's.
    expect((await boss.leads.bulk(ids(mixed), { tags: { remove: ['vip'] } })).applied).toBe(3);
  });

  it('adds and removes tags keeping their order; a lead that would pass 50 tags fails alone', async () => {
    const [a, b] = ownerLeads.slice(4);
    await boss.leads.bulk(ids([a!, b!]), { tags: { add: ['new', 'keep'], remove: ['old'] } });
    expect((await boss.leads.get(a!.id)).tags).toEqual(['keep', 'new']);
    const many = Array.from({ length: 48 }, (_, i) => `t${i}`);
    await boss.leads.update(b!.id, { tags: many });
    const result = await boss.leads.bulk(ids([a!, b!]), { tags: { add: ['x', 'y', 'z'] } });
    expect(result.results.map((r) => [r.ok, r.error?.status])).toEqual([
      [true, undefined],
      [false, 422],
    ]);
    expect((await boss.leads.get(b!.id)).tags).toEqual(many);
  });

  it('hands leads to an owner: Managers to any member, Members only to themselves', async () => {
    const [a, b] = ownerLeads.slice(0, 2);
    const given = await boss.leads.bulk(ids([a!, b!]), { ownerId: member.userId });
    expect(given.applied).toBe(2);
    expect((await staff.leads.get(a!.id)).ownerId).toBe(member.userId);
    // Members may not hand leads on, nor drop them: the whole request is refused.
    const handOn = await failure(staff.leads.bulk(ids([a!]), { ownerId: owner.userId }));
    expect(handOn.status).toBe(403);
    expect((await failure(staff.leads.bulk(ids([a!]), { ownerId: null }))).status).toBe(403);
    expect((await staff.leads.bulk(ids([a!]), { ownerId: member.userId })).applied).toBe(1);
    const stranger = await signUp(server, 'bulk-lead-stranger');
    const notMember = await failure(boss.leads.bulk(ids([a!]), { ownerId: stranger.userId }));
    expect(notMember.status).toBe(422);
    expect(notMember.errors.map((e) => e.path)).toEqual(['/body/change/ownerId']);
    expect((await boss.leads.bulk(ids([a!, b!]), { ownerId: owner.userId })).applied).toBe(2);
  });

  it('reports unknown, deleted and foreign leads as 404; a lead named twice changes once', async () => {
    const gone = await boss.leads.create(org, { name: 'Gone', email: 'gone@example.com' });
    await boss.leads.delete(gone.id);
    const stranger = await signUp(server, 'bulk-lead-other-org');
    const theirOrg = (await stranger.pm.orgs.create({ name: 'Theirs' })).id;
    const theirs = await stranger.pm.leads.create(theirOrg, { name: 'T', email: 't@example.com' });
    const unknown = randomUUID();
    const lead = ownerLeads[2]!;
    const { version } = await boss.leads.get(lead.id);
    const result = await boss.leads.bulk(
      [unknown, gone.id, theirs.id, lead.id, lead.id.toUpperCase()],
      { status: 'contacted' },
    );
    expect(result.results).toEqual([
      {
        lead: unknown,
        ok: false,
        id: unknown,
        error: { status: 404, detail: `No lead ${unknown}` },
      },
      {
        lead: gone.id,
        ok: false,
        id: gone.id,
        error: { status: 404, detail: `No lead ${gone.id}` },
      },
      {
        lead: theirs.id,
        ok: false,
        id: theirs.id,
        error: { status: 404, detail: `No lead ${theirs.id}` },
      },
      { lead: lead.id, ok: true, id: lead.id },
      { lead: lead.id.toUpperCase(), ok: true, id: lead.id },
    ]);
    expect((await boss.leads.get(lead.id)).version).toBe(version + 1);
    expect((await stranger.pm.leads.get(theirs.id)).status).toBe('new');
    // And the other way round: the stranger cannot reach this org's leads.
    const spm = server.client({ token: stranger.accessToken, org: theirOrg });
    const reach = await spm.leads.bulk([lead.id], { delete: true });
    expect(reach.results[0]!.error?.status).toBe(404);
    expect((await boss.leads.get(lead.id)).id).toBe(lead.id);
  });

  it('refuses an unknown status, 501 leads or two changes, changing nothing', async () => {
    const all = ids([...ownerLeads, ...memberLeads]);
    const before = await rows(all);
    const status = await failure(boss.leads.bulk(all, { status: 'nope' }));
    expect(status.status).toBe(422);
    expect(status.errors.map((e) => e.path)).toEqual(['/body/change/status']);
    const many = Array.from({ length: 501 }, () => all[0]!);
    const tooMany = await failure(boss.leads.bulk(many, { delete: true }));
    expect(tooMany.status).toBe(400);
    const two = await failure(boss.leads.bulk(all, { status: 'won', delete: true } as never));
    expect(two.status).toBe(400);
    expect(await rows(all)).toEqual(before);
  });

  it('deletes (soft): gone from lists and reads, one lead.deleted event each', async () => {
    const doomed = memberLeads.slice(5);
    const result = await staff.leads.bulk(ids(doomed), { delete: true });
    expect(result.applied).toBe(1);
    expect((await failure(staff.leads.get(doomed[0]!.id))).status).toBe(404);
    const listed = await boss.leads.list(org).toArray();
    expect(listed.map((l) => l.id)).not.toContain(doomed[0]!.id);
    const { rows: events } = await server.db.query(
      `SELECT action FROM events WHERE entity = 'lead' AND entity_id = $1 ORDER BY id`,
      [doomed[0]!.id],
    );
    expect(events.map((e) => e.action)).toEqual(['created', 'deleted']);
  });

  it('works set-wise: the same few statements for 300 leads as for 3', async () => {
    const csv = ['Name,Email', ...Array.from({ length: 300 }, (_, i) => `B${i},b${i}@example.com`)];
    const imported = await boss.leads.import(org, `${csv.join('\n')}\n`, { dedupe: 'email' });
    expect(imported.created).toBe(300);
    const all = (await boss.leads.list(org, { q: '@example.com', limit: 200 }).toArray())
      .filter((l) => /^B\d+$/.test(l.name))
      .map((l) => l.id);
    expect(all).toHaveLength(300);
    const statementsOf = async (
      leads: string[],
      change: Parameters<PmClient['leads']['bulk']>[1],
    ) => {
      const from = sent.length;
      expect((await boss.leads.bulk(leads, change)).applied).toBe(leads.length);
      return sent.slice(from);
    };
    await statementsOf(all.slice(0, 3), { status: 'contacted' });
    for (const change of [{ status: 'qualified' }, { tags: { add: ['bulk'] } }, { delete: true }]) {
      const few = await statementsOf(all.slice(0, 3), change as never);
      const many = await statementsOf(all.slice(3), change as never);
      expect(many.length, many.join('\n')).toBe(few.length);
      expect(many.length).toBeLessThan(12);
    }
  });
});
