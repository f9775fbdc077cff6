import type { ReportGroup, TimeReport } from '@pmkit/sdk';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportService } from '../../src/modules/reports/service.js';
import { type Account, addMember, failure, signUp } from '../identity/helpers.js';
import { pdfText } from './pdf-text.js';
import { allowViewerReports, seedEntries } from './seed.js';

let server: TestServer;
let ada: Account;
let wang: Account;
let max: Account;
let vera: Account;
let orgId: string;
const ids: Record<string, string> = {};

const WEEK = { from: '2026-11-16', to: '2026-11-22', tz: 'Europe/Berlin' } as const;

async function named(prefix: string, name: string): Promise<Account> {
  const account = await signUp(server, prefix);
  await account.pm.me.update({ name });
  return account;
}

beforeAll(async () => {
  server = await startTestServer();
  ada = await named('ada', 'Ada Lovelace');
  wang = await named('wang', '王小明');
  max = await named('max', 'Максим Петров');
  vera = await named('vera', 'Vera Viewer');
  const org = await ada.pm.orgs.create({ name: 'Zoë & Łukasz Consulting' });
  orgId = org.id;
  await addMember(server, ada, orgId, wang, 'member');
  await addMember(server, ada, orgId, max, 'manager');
  await addMember(server, ada, orgId, vera, 'viewer');
  const web = await ada.pm.projects.create(orgId, {
    key: 'WEB',
    name: 'Website',
    clientName: 'Acme GmbH',
  });
  const api = await ada.pm.projects.create(orgId, { key: 'API', name: 'API' });
  const homepage = await ada.pm.tasks.create(web.id, {
    title: 'Homepage',
    labels: ['design', 'frontend'],
  });
  const footer = await ada.pm.tasks.create(web.id, { title: 'Footer' });
  Object.assign(ids, { web: web.id, api: api.id, homepage: homepage.id, footer: footer.id });

  // The week of 2026-11-16 in Berlin (CET, UTC+1).
  await seedEntries(server.db, orgId, [
    {
      userId: ada.userId,
      projectId: web.id,
      taskId: homepage.id,
      start: '2026-11-16T08:00:00Z',
      minutes: 90,
      billable: true,
      rate: '90.00',
      note: 'Review',
      tags: ['meeting', 'client'],
    },
    {
      userId: wang.userId,
      projectId: web.id,
      taskId: footer.id,
      start: '2026-11-17T09:00:00Z',
      minutes: 50,
      billable: true,
      rate: '60.00',
      note: '=1+1',
      tags: ['dev'],
    },
    {
      userId: ada.userId,
      projectId: api.id,
      start: '2026-11-18T13:00:00Z',
      minutes: 7,
      rate: '90.00',
      note: 'Standup',
    },
    {
      userId: max.userId,
      projectId: api.id,
      start: '2026-11-19T15:00:00Z',
      minutes: 30,
      billable: true,
      rate: '100.00',
      currency: 'USD',
      tags: ['client'],
    },
    // Monday 00:30 in Berlin, still Sunday in UTC.
    { userId: wang.userId, start: '2026-11-22T23:30:00Z', minutes: 45, note: 'Late' },
    // Not counted: the day before, a running timer, a deleted entry.
    { userId: ada.userId, projectId: web.id, start: '2026-11-15T22:30:00Z', minutes: 60 },
    { userId: max.userId, projectId: web.id, start: '2026-11-20T08:00:00Z', end: null },
    { userId: ada.userId, projectId: web.id, start: '2026-11-20T10:00:00Z', deleted: true },
  ]);

  // Around the end of summer time in Berlin (2026-10-25, 03:00 CEST → 02:00 CET).
  await seedEntries(server.db, orgId, [
    // Monday 19 October, 00:30 CEST.
    { userId: ada.userId, start: '2026-10-18T22:30:00Z', minutes: 60, note: 'dst' },
    // Sunday 25 October, 02:30 CEST (before the change) and 23:30 CET.
    { userId: ada.userId, start: '2026-10-25T00:30:00Z', minutes: 30, note: 'dst' },
    { userId: ada.userId, start: '2026-10-25T22:30:00Z', minutes: 60, note: 'dst' },
    // Monday 26 October, 00:30 CET: the next ISO week.
    { userId: ada.userId, start: '2026-10-25T23:30:00Z', minutes: 60, note: 'dst' },
  ]);
});
afterAll(() => server.close());

const report = (who: Account, query: Record<string, unknown> = {}) =>
  who.pm.reports.time(orgId, { ...WEEK, ...query } as never) as Promise<TimeReport>;

const brief = (groups: ReportGroup[]): unknown =>
  groups.map((g) => ({
    label: g.label,
    hm: g.hm,
    entries: g.entries,
    ...(g.amounts.length ? { amounts: g.amounts.map((m) => `${m.amount} ${m.currency}`) } : {}),
    ...(g.groups ? { groups: brief(g.groups) } : {}),
  }));

async function get(who: Account, query: string, accept = 'application/json') {
  return server.fetch(`${server.url}/v1/orgs/${orgId}/reports/time?${query}`, {
    headers: { Authorization: `Bearer ${who.accessToken}`, Accept: accept },
  });
}

const weekQuery = 'from=2026-11-16&to=2026-11-22&tz=Europe/Berlin';

describe('the time report as JSON', () => {
  it('totals finished entries of the days in the zone, grouped two levels, amounts per currency', async () => {
    const week = await report(ada, { groupBy: 'project,user' });
    expect(week).toMatchObject({
      from: '2026-11-16',
      to: '2026-11-22',
      timezone: 'Europe/Berlin',
      groupBy: ['project', 'user'],
      rounding: 'none',
      total: {
        seconds: 177 * 60,
        hours: '2.95',
        hm: '2:57',
        entries: 4,
        amounts: [
          { amount: '185.00', currency: 'EUR' },
          { amount: '50.00', currency: 'USD' },
        ],
      },
    });
    expect(brief(week.groups)).toEqual([
      {
        label: 'API',
        hm: '0:37',
        entries: 2,
        amounts: ['50.00 USD'],
        groups: [
          { label: 'Ada Lovelace', hm: '0:07', entries: 1 },
          { label: 'Максим Петров', hm: '0:30', entries: 1, amounts: ['50.00 USD'] },
        ],
      },
      {
        label: 'Website (WEB)',
        hm: '2:20',
        entries: 2,
        amounts: ['185.00 EUR'],
        groups: [
          { label: 'Ada Lovelace', hm: '1:30', entries: 1, amounts: ['135.00 EUR'] },
          { label: '王小明', hm: '0:50', entries: 1, amounts: ['50.00 EUR'] },
        ],
      },
    ]);
    expect(week.groups[0]!.key).toBe(ids.api);
  });

  it('counts an entry on the day it started in the zone: the profile zone by default', async () => {
    const utc = await report(ada, { tz: 'UTC' });
    expect(utc.total).toMatchObject({ hm: '3:42', entries: 5 });
    expect(utc.groups.at(-1)).toMatchObject({ key: null, label: 'No project', hm: '0:45' });
    // Ada's profile zone is UTC until she says otherwise.
    const { tz: _, ...noZone } = WEEK;
    expect((await ada.pm.reports.time(orgId, noZone)).timezone).toBe('UTC');
    await ada.pm.me.update({ timezone: 'Europe/Berlin' });
    const profile = await ada.pm.reports.time(orgId, noZone);
    expect(profile).toMatchObject({ timezone: 'Europe/Berlin', total: { entries: 4 } });
    await ada.pm.me.update({ timezone: 'UTC' });
  });

  it('groups by task, client, label (an entry under each of its labels), day and month', async () => {
    const byTask = await report(ada, { groupBy: 'task' });
    expect(brief(byTask.groups)).toMatchObject([
      { label: 'WEB-1 Homepage', hm: '1:30' },
      { label: 'WEB-2 Footer', hm: '0:50' },
      { label: 'No task', hm: '0:37' },
    ]);
    const byClient = await report(ada, { groupBy: 'client' });
    expect(brief(byClient.groups)).toMatchObject([
      { label: 'Acme GmbH', hm: '2:20' },
      { label: 'No client', hm: '0:37' },
    ]);
    const byLabel = await report(ada, { groupBy: 'label' });
    expect(brief(byLabel.groups)).toMatchObject([
      { label: 'design', hm: '1:30', entries: 1 },
      { label: 'frontend', hm: '1:30', entries: 1 },
      { label: 'No label', hm: '1:27', entries: 3 },
    ]);
    expect(byLabel.groups.at(-1)!.key).toBeNull();
    // The total counts each entry once.
    expect(byLabel.total).toMatchObject({ hm: '2:57', entries: 4 });
    const byDay = await report(ada, { groupBy: 'day,project' });
    expect(byDay.groups.map((g) => [g.key, g.label, g.hm])).toEqual([
      ['2026-11-16', '2026-11-16 Mon', '1:30'],
      ['2026-11-17', '2026-11-17 Tue', '0:50'],
      ['2026-11-18', '2026-11-18 Wed', '0:07'],
      ['2026-11-19', '2026-11-19 Thu', '0:30'],
    ]);
    expect(byDay.groups[0]!.groups!.map((g) => g.label)).toEqual(['Website (WEB)']);
    const byMonth = await report(ada, { groupBy: 'month' });
    expect(byMonth.groups.map((g) => [g.key, g.label])).toEqual([['2026-11', 'November 2026']]);
  });

  it('puts days and ISO weeks where the zone has them across a daylight-saving change', async () => {
    const october = { from: '2026-10-19', to: '2026-11-01', groupBy: 'week,day' };
    const berlin = await report(ada, { ...october, tz: 'Europe/Berlin', users: 'me' });
    expect(
      berlin.groups.map((w) => [w.key, w.label, w.hm, w.groups!.map((d) => `${d.key} ${d.hm}`)]),
    ).toEqual([
      [
        '2026-W43',
        '2026-W43 (2026-10-19 – 2026-10-25)',
        '2:30',
        ['2026-10-19 1:00', '2026-10-25 1:30'],
      ],
      ['2026-W44', '2026-W44 (2026-10-26 – 2026-11-01)', '1:00', ['2026-10-26 1:00']],
    ]);
    // In UTC the first entry falls on the Sunday before, outside the period; the last is Sunday's.
    const utc = await report(ada, { ...october, tz: 'UTC', users: 'me' });
    expect(utc.groups.map((w) => [w.key, w.hm, w.entries])).toEqual([['2026-W43', '2:30', 3]]);
  });

  it('rounds each entry up, down or to the nearest step, and bills the rounded time', async () => {
    const wangsWeek = (rounding: string, roundTo?: number) =>
      report(ada, { users: wang.userId, rounding, ...(roundTo ? { roundTo } : {}) });
    const totals = async (rounding: string, roundTo?: number) => {
      const { total, roundTo: step } = await wangsWeek(rounding, roundTo);
      return [total.seconds / 60, total.amounts[0]?.amount, step];
    };
    // Wang's 50 minutes at 60.00 EUR an hour.
    expect(await totals('none')).toEqual([50, '50.00', 0]);
    expect(await totals('up')).toEqual([60, '60.00', 15]);
    expect(await totals('down')).toEqual([45, '45.00', 15]);
    expect(await totals('nearest')).toEqual([45, '45.00', 15]);
    expect(await totals('nearest', 30)).toEqual([60, '60.00', 30]);
    // Ada's 7-minute standup, per step.
    const standup = async (rounding: string, roundTo: number) =>
      (await report(ada, { users: 'me', projects: 'API', rounding, roundTo })).total.seconds / 60;
    expect(await standup('up', 15)).toBe(15);
    expect(await standup('down', 15)).toBe(0);
    expect(await standup('nearest', 15)).toBe(0);
    expect(await standup('nearest', 10)).toBe(10);
    expect(await standup('up', 6)).toBe(12);
    expect(await standup('nearest', 6)).toBe(6);
    expect(await standup('down', 1)).toBe(7);
  });

  it('filters by projects (keys or ids), people, billable and tags (any of)', async () => {
    const hm = async (query: Record<string, unknown>) => (await report(ada, query)).total.hm;
    expect(await hm({ projects: 'WEB' })).toBe('2:20');
    expect(await hm({ projects: [ids.api!, 'WEB'] })).toBe('2:57');
    expect(await hm({ users: 'me' })).toBe('1:37');
    expect(await hm({ users: [wang.userId, max.userId] })).toBe('1:20');
    expect(await hm({ billable: true })).toBe('2:50');
    expect(await hm({ billable: false })).toBe('0:07');
    expect(await hm({ tags: 'client' })).toBe('2:00');
    expect(await hm({ tags: ['dev', 'nope'] })).toBe('0:50');
    const unknown = await failure(report(ada, { projects: 'WEB,NOPE' }));
    expect(unknown.status).toBe(400);
    expect(unknown.errors).toEqual([
      { path: '/query/projects', message: 'names no project: NOPE' },
    ]);
  });

  it('refuses a bad zone, from after to, and a period over a year', async () => {
    const zone = await failure(report(ada, { tz: 'Mars/Olympus' }));
    expect([zone.status, zone.errors.map((e) => e.path)]).toEqual([400, ['/query/tz']]);
    const offset = await failure(report(ada, { tz: '+01:00' }));
    expect([offset.status, offset.errors.map((e) => e.path)]).toEqual([400, ['/query/tz']]);
    const reversed = await failure(report(ada, { from: '2026-11-22', to: '2026-11-16' }));
    expect([reversed.status, reversed.errors.map((e) => e.path)]).toEqual([400, ['/query/from']]);
    expect(reversed.detail).toBe('from (2026-11-22) is after to (2026-11-16)');
    const long = await failure(report(ada, { from: '2024-01-01', to: '2025-01-01' }));
    expect([long.status, long.errors.map((e) => e.path)]).toEqual([400, ['/query/to']]);
    expect((await report(ada, { from: '2024-01-01', to: '2024-12-31' })).total.entries).toBe(0);
    const twice = await failure(report(ada, { groupBy: 'user,user' }));
    expect(twice.status).toBe(400);
  });
});

describe('who sees what', () => {
  it('a Member sees only their own entries, and may not ask for anyone else’s', async () => {
    const own = await report(wang, { groupBy: 'user' });
    expect(own.total).toMatchObject({ hm: '0:50', entries: 1 });
    expect(own.groups.map((g) => g.key)).toEqual([wang.userId]);
    expect((await report(wang, { users: 'me' })).total.hm).toBe('0:50');
    const csv = await (await get(wang, `${weekQuery}&format=csv`)).text();
    expect(csv.trimEnd().split('\n')).toHaveLength(2);
    const others = await failure(report(wang, { users: ada.userId }));
    expect([others.status, others.detail]).toEqual([
      403,
      'Members see only their own time in reports: ask for users=me',
    ]);
  });

  it('Managers and Admins see everyone’s', async () => {
    expect((await report(max)).total.entries).toBe(4);
  });

  it('a Viewer is refused unless the organization lets Viewers see reports', async () => {
    const refused = await failure(report(vera));
    expect(refused.status).toBe(403);
    expect(refused.detail).toMatch(/Viewers see time reports only where the organization allows/);
    await allowViewerReports(server.db, orgId);
    try {
      expect((await report(vera)).total.entries).toBe(4);
    } finally {
      await allowViewerReports(server.db, orgId, false);
    }
    expect((await failure(report(vera))).status).toBe(403);
  });

  it('an organization the caller is not in is 404, by id or slug', async () => {
    const stranger = await signUp(server, 'stranger');
    const own = await stranger.pm.orgs.create({ name: 'Elsewhere' });
    await seedEntries(server.db, own.id, [
      { userId: stranger.userId, start: '2026-11-17T09:00:00Z', minutes: 30 },
    ]);
    const missing = await failure(stranger.pm.reports.time(orgId, WEEK));
    expect(missing.status).toBe(404);
    const { slug } = await ada.pm.orgs.get(orgId);
    expect((await failure(stranger.pm.reports.time(slug, WEEK))).status).toBe(404);
    // Their own organization's report holds only their own organization's time.
    expect((await stranger.pm.reports.time(own.id, WEEK)).total.hm).toBe('0:30');
    expect((await report(ada)).total.entries).toBe(4);
  });
});

const durationSum = (rows: Record<string, string>[]) => {
  const minutes = rows.reduce((sum, row) => {
    const [h, m] = row.duration!.split(':').map(Number);
    return sum + h! * 60 + m!;
  }, 0);
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
};

describe('the time report as CSV', () => {
  it('streams one row per entry, in the zone, formula-like notes neutralised', async () => {
    const response = await get(ada, weekQuery, 'text/csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="time-report-2026-11-16-2026-11-22.csv"',
    );
    const text = await response.text();
    const [header, first] = text.split('\n');
    expect(header).toBe(
      'date,start,end,duration,hours,user,project,task,note,tags,billable,rate,amount,currency',
    );
    expect(first).toBe(
      '2026-11-16,09:00,10:30,1:30,1.50,Ada Lovelace,WEB,WEB-1,Review,"meeting,client",true,90.00,135.00,EUR',
    );
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.user, r.note, r.duration, r.amount])).toEqual([
      ['Ada Lovelace', 'Review', '1:30', '135.00'],
      ['王小明', "'=1+1", '0:50', '50.00'],
      // Not billable: no amount, though the entry has a rate.
      ['Ada Lovelace', 'Standup', '0:07', ''],
      ['Максим Петров', '', '0:30', '50.00'],
    ]);
    expect(durationSum(rows)).toBe('2:57');
  });

  it('by format=, with a byte order mark when asked, rounded like the JSON, through the SDK', async () => {
    const bom = Buffer.from(
      await (await get(ada, `${weekQuery}&format=csv&bom=true`)).arrayBuffer(),
    );
    expect([...bom.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bom.subarray(3, 7).toString()).toBe('date');
    const stream = await ada.pm.reports.time(orgId, {
      ...WEEK,
      format: 'csv',
      rounding: 'up',
      roundTo: 15,
    });
    const rows = parse(await new Response(stream).text(), { columns: true }) as Record<
      string,
      string
    >[];
    expect(rows.map((r) => [r.duration, r.hours, r.amount])).toEqual([
      ['1:30', '1.50', '135.00'],
      ['1:00', '1.00', '60.00'],
      ['0:15', '0.25', ''],
      ['0:30', '0.50', '50.00'],
    ]);
    const json = await report(ada, { rounding: 'up', roundTo: 15 });
    expect(durationSum(rows)).toBe(json.total.hm);
  });
});

describe('the time report as PDF', () => {
  it('shows the organization, period, groups and a grand total equal to the CSV’s durations', async () => {
    const query = `${weekQuery}&groupBy=project,user`;
    const response = await get(ada, query, 'application/pdf');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    // The fonts are subset: a few glyphs of a 10 MB CJK font.
    expect(bytes.length).toBeLessThan(150_000);
    const { pages, sizes } = await pdfText(bytes);
    expect(sizes).toEqual([[595, 842]]);
    const lines = pages.flat();
    expect(lines).toContain('Time report');
    expect(lines).toContain('Zoë & Łukasz Consulting');
    expect(lines).toContain('Period: 2026-11-16 – 2026-11-22 (Europe/Berlin)');
    expect(lines).toContain('Summary by project › user');
    expect(lines).toContain('API 2 0.62 0:37 50.00 USD');
    expect(lines).toContain('Максим Петров 1 0.50 0:30 50.00 USD');
    expect(lines).toContain('王小明 1 0.83 0:50 50.00 EUR');
    expect(lines).toContain('2026-11-17 10:00–10:50 王小明 WEB-2 Footer =1+1 0:50 50.00 EUR');
    expect(lines.at(-1)).toBe(
      'Zoë & Łukasz Consulting · Time report 2026-11-16 – 2026-11-22 Page 1 of 1',
    );
    const total = lines.find((line) => line.startsWith('Grand total'));
    expect(total).toBe('Grand total 4 2.95 2:57 185.00 EUR, 50.00 USD');

    const csv = await (await get(ada, `${query}&format=csv`)).text();
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(total!.split(' ')[4]).toBe(durationSum(rows));
  });

  it('by format=pdf or the SDK, on Letter, with filters and rounding named', async () => {
    const stream = await ada.pm.reports.time(orgId, {
      ...WEEK,
      format: 'pdf',
      paper: 'letter',
      projects: 'WEB',
      users: [wang.userId],
      billable: true,
      tags: 'dev',
      rounding: 'nearest',
      roundTo: 30,
      groupBy: ['user', 'day'],
    });
    const { pages, sizes } = await pdfText(
      new Uint8Array(await new Response(stream).arrayBuffer()),
    );
    expect(sizes).toEqual([[612, 792]]);
    const lines = pages.flat();
    expect(lines).toContain('Filters: projects WEB · people 王小明 · billable only · tags dev');
    expect(lines).toContain(
      'Grouped by user, then day · rounding: to the nearest 30 minutes, per entry',
    );
    expect(lines).toContain('Grand total 1 1.00 1:00 60.00 EUR');
    expect((await get(ada, `${weekQuery}&format=pdf`)).headers.get('content-type')).toBe(
      'application/pdf',
    );
  });

  it('numbers its pages "Page n of m" over many pages, and says when there is nothing', async () => {
    const owner = await signUp(server, 'many');
    const org = await owner.pm.orgs.create({ name: 'Many Entries' });
    const start = Date.parse('2026-11-16T07:00:00Z');
    await seedEntries(
      server.db,
      org.id,
      Array.from({ length: 130 }, (_, i) => ({
        userId: owner.userId,
        start: new Date(start + i * 60_000),
        minutes: 1 + (i % 7),
        note: `Entry ${i} ${'with a long note that is cut to fit its column '.repeat(3)}`,
      })),
    );
    const pdf = await owner.pm.reports.time(org.id, { ...WEEK, format: 'pdf' });
    const { pages } = await pdfText(new Uint8Array(await new Response(pdf).arrayBuffer()));
    expect(pages.length).toBeGreaterThan(2);
    pages.forEach((lines, i) => {
      expect(lines.at(-1)).toMatch(new RegExp(`Page ${i + 1} of ${pages.length}$`));
    });
    expect(pages.flat().filter((line) => /^2026-11-16 /.test(line))).toHaveLength(130);
    expect(pages.flat()).toContain('Entries');
    const csv = await owner.pm.reports.time(org.id, { ...WEEK, format: 'csv' });
    const rows = parse(await new Response(csv).text(), { columns: true }) as Record<
      string,
      string
    >[];
    const total = pages.flat().find((line) => line.startsWith('Grand total'))!;
    expect(total.split(' ')[4]).toBe(durationSum(rows));

    const empty = await owner.pm.reports.time(org.id, {
      from: '2020-01-01',
      to: '2020-01-07',
      format: 'pdf',
    });
    const nothing = await pdfText(new Uint8Array(await new Response(empty).arrayBuffer()));
    expect(nothing.pages.flat()).toContain('No entries in this period.');
    expect(nothing.pages.flat()).toContain('Grand total 0 0.00 0:00');
  });
});

describe('reading in chunks', () => {
  it('a keyset on (start, id) neither skips nor repeats entries that started at once, and others are served between chunks', async () => {
    const owner = await signUp(server, 'chunks');
    const org = await owner.pm.orgs.create({ name: 'Chunks' });
    const seeded = await seedEntries(
      server.db,
      org.id,
      Array.from({ length: 7 }, () => ({
        userId: owner.userId,
        start: '2026-11-17T09:00:00.123456Z',
        minutes: 10,
      })),
    );
    const service = new ReportService(server.db);
    const prepared = await service.prepare(
      { id: org.id, slug: org.slug, name: org.name, role: 'owner', createdAt: new Date() },
      { kind: 'user', userId: owner.userId, sessionId: 'test' },
      { ...WEEK },
    );
    const chunks: string[][] = [];
    for await (const chunk of service.entries(prepared, 3)) {
      chunks.push(chunk.map((e) => e.id));
      if (chunks.length > 1) continue;
      // Between chunks the export holds no transaction (PGlite has one connection): others go on.
      const other = owner.pm.reports.time(org.id, WEEK);
      const late = new Promise((_, reject) => {
        setTimeout(() => reject(new Error('a request waited for the export')), 5000).unref();
      });
      expect(((await Promise.race([other, late])) as TimeReport).total.entries).toBe(7);
    }
    expect(chunks.map((c) => c.length)).toEqual([3, 3, 1]);
    expect(chunks.flat().sort()).toEqual([...seeded].sort());
  });
});
