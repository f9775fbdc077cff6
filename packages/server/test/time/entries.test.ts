import type { PmClient } from '@pmkit/sdk';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, addMember, failure, signUp } from '../identity/helpers.js';

let server: TestServer;
let owner: Account;
let member: Account;
let manager: Account;
let orgId: string;
let pm: PmClient;
let asMember: PmClient;
let asManager: PmClient;

beforeAll(async () => {
  server = await startTestServer();
  owner = await signUp(server, 'entries-owner');
  member = await signUp(server, 'entries-member');
  manager = await signUp(server, 'entries-manager');
  const org = await owner.pm.orgs.create({ name: 'Entries Org' });
  orgId = org.id;
  await addMember(server, owner, orgId, member, 'member');
  await addMember(server, owner, orgId, manager, 'manager');
  pm = server.client({ token: owner.accessToken, org: orgId });
  asMember = server.client({ token: member.accessToken, org: orgId });
  asManager = server.client({ token: manager.accessToken, org: orgId });
  await pm.projects.create(orgId, { key: 'ENT', name: 'Entries' });
  await pm.projects.create(orgId, { key: 'ALT', name: 'Alternative' });
  await pm.tasks.create('ENT', { title: 'Write docs' });
});
afterAll(() => server.close());

describe('time entries', () => {
  it('logs by start and end, and by date and duration placed after the day’s last entry', async () => {
    const first = await asMember.timeEntries.create(orgId, {
      task: 'ENT-1',
      startedAt: '2026-11-02T09:00:00Z',
      endedAt: '2026-11-02T10:30:00Z',
      note: 'Docs',
      tags: ['writing'],
    });
    expect(first).toMatchObject({
      durationSeconds: 5400,
      task: { key: 'ENT-1' },
      project: { key: 'ENT' },
      user: { id: member.userId },
      tags: ['writing'],
    });
    const second = await asMember.timeEntries.create(orgId, {
      project: 'ENT',
      date: '2026-11-02',
      durationSeconds: 1800,
      tz: 'UTC',
    });
    expect(second.startedAt).toBe('2026-11-02T10:30:00.000Z');
    expect(second.endedAt).toBe('2026-11-02T11:00:00.000Z');
    const fresh = await asMember.timeEntries.create(orgId, {
      date: '2026-11-03',
      durationSeconds: 3600,
      tz: 'Europe/Berlin',
    });
    expect(fresh.startedAt).toBe('2026-11-03T08:00:00.000Z');
  });

  it('refuses bad timing with the field named', async () => {
    const cases = [
      [{ startedAt: '2026-11-04T10:00:00Z', endedAt: '2026-11-04T09:00:00Z' }, '/body/endedAt'],
      [{ startedAt: '2026-11-04T10:00:00Z', endedAt: '2026-11-06T10:00:00Z' }, '/body/endedAt'],
      [{ startedAt: '2026-11-04T10:00:00Z' }, '/body/endedAt'],
      [{ date: '2026-11-04' }, '/body/durationSeconds'],
      [{ note: 'no time' }, '/body/startedAt'],
      [{ date: '2026-11-04', durationSeconds: 600, tz: 'Mars/Olympus' }, '/body/tz'],
    ] as const;
    for (const [body, path] of cases) {
      const error = await failure(asMember.timeEntries.create(orgId, body));
      expect(error.status, JSON.stringify(body)).toBe(400);
      expect(error.errors.map((e) => e.path)).toContain(path);
    }
  });

  it('refuses overlapping entries of one person unless the organization allows them', async () => {
    const span = { startedAt: '2026-11-05T09:00:00Z', endedAt: '2026-11-05T10:00:00Z' };
    const original = await asMember.timeEntries.create(orgId, span);
    const overlap = await failure(
      asMember.timeEntries.create(orgId, {
        startedAt: '2026-11-05T09:30:00Z',
        endedAt: '2026-11-05T10:30:00Z',
      }),
    );
    expect(overlap.status).toBe(409);
    expect(overlap.type).toMatch(/time-overlap$/);
    expect(overlap.detail).toContain(original.id);
    // Someone else's time does not overlap mine; back-to-back is not an overlap.
    await asManager.timeEntries.create(orgId, span);
    await asMember.timeEntries.create(orgId, {
      startedAt: '2026-11-05T10:00:00Z',
      endedAt: '2026-11-05T10:15:00Z',
    });
    await pm.timeSettings.update(orgId, { allowOverlap: true });
    await asMember.timeEntries.create(orgId, {
      startedAt: '2026-11-05T09:30:00Z',
      endedAt: '2026-11-05T10:30:00Z',
    });
    await pm.timeSettings.update(orgId, { allowOverlap: false });
  });

  it('resolves the rate from the most specific of entry, member in project, project, org', async () => {
    const at = (day: number, billable = true) => ({
      project: 'ALT',
      billable,
      startedAt: `2026-11-1${day}T09:00:00Z`,
      endedAt: `2026-11-1${day}T10:30:00Z`,
    });
    expect((await asMember.timeEntries.create(orgId, at(0))).hourlyRate).toBeNull();
    await pm.timeSettings.update(orgId, {
      defaultHourlyRate: { amount: '50.00', currency: 'EUR' },
    });
    const byOrg = await asMember.timeEntries.create(orgId, at(1));
    expect(byOrg).toMatchObject({
      rateSource: 'org',
      hourlyRate: { amount: '50.00', currency: 'EUR' },
      amount: { amount: '75.00', currency: 'EUR' },
    });
    await asManager.rates.set('ALT', { hourlyRate: { amount: '80.00', currency: 'EUR' } });
    expect((await asMember.timeEntries.create(orgId, at(2))).rateSource).toBe('project');
    await asManager.rates.set('ALT', {
      userId: member.userId,
      hourlyRate: { amount: '100.00', currency: 'USD' },
    });
    const byMember = await asMember.timeEntries.create(orgId, at(3));
    expect(byMember).toMatchObject({
      rateSource: 'member',
      amount: { amount: '150.00', currency: 'USD' },
    });
    const own = await asMember.timeEntries.create(orgId, {
      ...at(4),
      hourlyRate: { amount: '10.00', currency: 'GBP' },
    });
    expect(own).toMatchObject({
      rateSource: 'entry',
      amount: { amount: '15.00', currency: 'GBP' },
    });
    expect((await asMember.timeEntries.create(orgId, at(5, false))).amount).toBeNull();
    // Written entries keep their rate when rates change.
    await asManager.rates.set('ALT', { userId: member.userId, hourlyRate: null });
    expect((await asMember.timeEntries.get(byMember.id)).hourlyRate?.amount).toBe('100.00');
    expect(await asManager.rates.list('ALT')).toEqual([
      { userId: null, hourlyRate: { amount: '80.00', currency: 'EUR' } },
    ]);
    expect((await failure(asMember.rates.list('ALT'))).status).toBe(403);
  });

  it('edits with If-Match, recomputing the amount; 412 when stale', async () => {
    const entry = await asMember.timeEntries.create(orgId, {
      project: 'ALT',
      billable: true,
      startedAt: '2026-11-16T09:00:00Z',
      endedAt: '2026-11-16T10:00:00Z',
    });
    const longer = await asMember.timeEntries.update(
      entry.id,
      { endedAt: '2026-11-16T11:00:00Z' },
      { ifMatch: `"${entry.version}"` },
    );
    expect(longer.durationSeconds).toBe(7200);
    expect(longer.amount?.amount).toBe('160.00');
    const stale = await failure(
      asMember.timeEntries.update(entry.id, { note: 'x' }, { ifMatch: `"${entry.version}"` }),
    );
    expect(stale.status).toBe(412);
    const unbilled = await asMember.timeEntries.update(entry.id, { billable: false });
    expect(unbilled.amount).toBeNull();
    const moved = await asMember.timeEntries.update(entry.id, { task: 'ENT-1', billable: true });
    expect(moved.project?.key).toBe('ENT');
    expect(moved.rateSource).toBe('org');
  });

  it('Members see and change only their own; Managers everyone’s', async () => {
    const mine = await asManager.timeEntries.create(orgId, {
      startedAt: '2026-11-17T09:00:00Z',
      endedAt: '2026-11-17T09:30:00Z',
    });
    expect((await failure(asMember.timeEntries.get(mine.id))).status).toBe(404);
    expect((await failure(asMember.timeEntries.update(mine.id, { note: 'x' }))).status).toBe(404);
    expect((await failure(asMember.timeEntries.delete(mine.id))).status).toBe(404);
    const memberList = await asMember.timeEntries.list(orgId, { limit: 200 }).toArray();
    expect(memberList.length).toBeGreaterThan(0);
    expect(memberList.every((e) => e.user.id === member.userId)).toBe(true);
    expect((await failure(asMember.timeEntries.list(orgId, { user: manager.userId }))).status).toBe(
      403,
    );
    const all = await asManager.timeEntries.list(orgId, { limit: 200 }).toArray();
    expect(new Set(all.map((e) => e.user.id)).size).toBeGreaterThan(1);
    const logged = await asManager.timeEntries.create(orgId, {
      userId: member.userId,
      startedAt: '2026-11-18T09:00:00Z',
      endedAt: '2026-11-18T09:30:00Z',
    });
    expect(logged.user.id).toBe(member.userId);
    expect(
      (
        await failure(
          asMember.timeEntries.create(orgId, {
            userId: manager.userId,
            startedAt: '2026-11-18T09:00:00Z',
            endedAt: '2026-11-18T09:30:00Z',
          }),
        )
      ).status,
    ).toBe(403);
    const day = await asManager.timeEntries
      .list(orgId, { from: '2026-11-18', to: '2026-11-18', tz: 'UTC', user: member.userId })
      .toArray();
    expect(day.map((e) => e.id)).toEqual([logged.id]);
    await asManager.timeEntries.delete(logged.id);
    expect((await failure(asMember.timeEntries.get(logged.id))).status).toBe(404);
  });

  it('a locked period: a Member’s edit is 403 naming the lock; an Admin may', async () => {
    const entry = await asMember.timeEntries.create(orgId, {
      startedAt: '2026-10-15T09:00:00Z',
      endedAt: '2026-10-15T10:00:00Z',
    });
    expect(
      (await failure(asMember.timeLocks.create(orgId, { from: '2026-10-01', to: '2026-10-31' })))
        .status,
    ).toBe(403);
    const lock = await pm.timeLocks.create(orgId, {
      from: '2026-10-01',
      to: '2026-10-31',
      timezone: 'UTC',
      note: 'October invoiced',
    });
    const refused = await failure(asMember.timeEntries.update(entry.id, { note: 'late fix' }));
    expect(refused.status).toBe(403);
    expect(refused.type).toMatch(/period-locked$/);
    expect(refused.problem.lock?.id).toBe(lock.id);
    expect(refused.detail).toContain('October invoiced');
    expect((await failure(asMember.timeEntries.delete(entry.id))).status).toBe(403);
    const intoLock = await failure(
      asMember.timeEntries.create(orgId, {
        startedAt: '2026-10-20T09:00:00Z',
        endedAt: '2026-10-20T10:00:00Z',
      }),
    );
    expect(intoLock.type).toMatch(/period-locked$/);
    // Moving an unlocked entry into the period is a change in it too.
    const november = await asMember.timeEntries.create(orgId, {
      startedAt: '2026-11-20T09:00:00Z',
      endedAt: '2026-11-20T10:00:00Z',
    });
    expect(
      (
        await failure(
          asMember.timeEntries.update(november.id, {
            startedAt: '2026-10-20T09:00:00Z',
            endedAt: '2026-10-20T10:00:00Z',
          }),
        )
      ).type,
    ).toMatch(/period-locked$/);
    expect((await pm.timeEntries.update(entry.id, { note: 'admin fix' })).note).toBe('admin fix');
    expect((await pm.timeLocks.list(orgId).toArray()).map((l) => l.id)).toEqual([lock.id]);
    await pm.timeLocks.delete(orgId, lock.id);
    expect((await asMember.timeEntries.update(entry.id, { note: 'now ok' })).note).toBe('now ok');
  });

  it('a lock is a period of days in its time zone', async () => {
    const lock = await pm.timeLocks.create(orgId, {
      from: '2026-09-01',
      to: '2026-09-30',
      timezone: 'Pacific/Auckland',
    });
    // 2026-09-30T13:00Z is already October 1st in Auckland: outside the lock.
    await asMember.timeEntries.create(orgId, {
      startedAt: '2026-09-30T13:00:00Z',
      endedAt: '2026-09-30T13:30:00Z',
    });
    const inside = await failure(
      asMember.timeEntries.create(orgId, {
        startedAt: '2026-09-30T10:00:00Z',
        endedAt: '2026-09-30T10:30:00Z',
      }),
    );
    expect(inside.type).toMatch(/period-locked$/);
    expect(
      (await failure(pm.timeLocks.create(orgId, { from: '2026-09-10', to: '2026-09-01' })))
        .errors[0]?.path,
    ).toBe('/body/to');
    await pm.timeLocks.delete(orgId, lock.id);
  });

  it('an entry from another organization is 404, as is a random id', async () => {
    const stranger = await signUp(server, 'entries-stranger');
    const other = await stranger.pm.orgs.create({ name: 'Other Entries Org' });
    const theirs = await server
      .client({ token: stranger.accessToken, org: other.id })
      .timeEntries.create(other.id, {
        startedAt: '2026-11-02T09:00:00Z',
        endedAt: '2026-11-02T10:00:00Z',
      });
    expect((await failure(pm.timeEntries.get(theirs.id))).status).toBe(404);
    expect((await failure(pm.timeEntries.get(crypto.randomUUID()))).status).toBe(404);
  });
});
