import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TimeReport } from '@pmkit/sdk';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../../server/test/time/pdf-text.js';
import { seedEntries } from '../../server/test/time/seed.js';
import { type CliUser, cliUser, expectFailure, tempDir, tsvRows } from './helpers.js';

let server: TestServer;
let ada: CliUser;
let wang: CliUser;
let orgId: string;

// Wednesday 18 November 2026, noon on this machine's clock.
const clock = { now: () => new Date(2026, 10, 18, 12) };
const WEEK = ['--from', '2026-11-16', '--to', '2026-11-22', '--tz', 'Europe/Berlin'];

async function register(user: CliUser, email: string, name: string) {
  const registered = await user.pm(
    ['auth', 'register', '--email', email, '--name', name, '--password-stdin'],
    { stdin: 'correct horse battery staple' },
  );
  expect(registered.code, registered.stderr).toBe(0);
  return user.profile().user!.id;
}

beforeAll(async () => {
  server = await startTestServer();
  ada = cliUser(server, { clock });
  wang = cliUser(server, { clock });
  const adaId = await register(ada, 'ada@example.com', 'Ada Lovelace');
  const wangId = await register(wang, 'wang@example.com', '王小明');
  expect((await ada.pm(['org', 'create', 'Acme', '--slug', 'acme', '--switch'])).code).toBe(0);
  const pm = server.client({ token: ada.profile().accessToken! });
  const org = await pm.orgs.get('acme');
  orgId = org.id;
  const mark = server.mail.mark();
  await pm.invitations.create(orgId, { email: 'wang@example.com', role: 'member' });
  const token = await server.mail.token('wang@example.com', /invited you/, { after: mark });
  expect((await wang.pm(['invite', 'accept', token])).code).toBe(0);
  expect((await wang.pm(['org', 'switch', 'acme'])).code).toBe(0);
  const web = await pm.projects.create(orgId, { key: 'WEB', name: 'Website' });
  const api = await pm.projects.create(orgId, { key: 'API', name: 'Backend' });
  await seedEntries(server.db, orgId, [
    {
      userId: adaId,
      projectId: web.id,
      start: '2026-11-16T08:00:00Z',
      minutes: 90,
      billable: true,
      rate: '90.00',
      note: 'Review',
    },
    {
      userId: wangId,
      projectId: web.id,
      start: '2026-11-17T09:00:00Z',
      minutes: 50,
      billable: true,
      rate: '60.00',
      note: '=1+1',
      tags: ['dev'],
    },
    { userId: adaId, projectId: api.id, start: '2026-11-18T13:00:00Z', minutes: 7 },
    // Last week.
    { userId: adaId, projectId: api.id, start: '2026-11-10T13:00:00Z', minutes: 20 },
  ]);
});
afterAll(async () => {
  await server?.close();
});

const json = (stdout: string) => JSON.parse(stdout) as TimeReport;

describe('pm report time', () => {
  it('shows the groups with subtotals and the total on a terminal', async () => {
    const shown = await ada.pm(['report', 'time', ...WEEK, '--group-by', 'project,user'], {
      tty: true,
    });
    expect(shown.code, shown.stderr).toBe(0);
    const lines = shown.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Time report 2026-11-16 – 2026-11-22 (Europe/Berlin), by project, user');
    expect(lines[1]).toMatch(/^GROUP\s+ENTRIES\s+HOURS\s+H:MM\s+AMOUNT$/);
    expect(lines.slice(2).map((line) => line.split(/\s{2,}/).filter(Boolean))).toEqual([
      ['Backend (API)', '1', '0.12', '0:07'],
      ['Ada Lovelace', '1', '0.12', '0:07'],
      ['Website (WEB)', '2', '2.33', '2:20', '185.00 EUR'],
      ['Ada Lovelace', '1', '1.50', '1:30', '135.00 EUR'],
      ['王小明', '1', '0.83', '0:50', '50.00 EUR'],
      ['Total', '3', '2.45', '2:27', '185.00 EUR'],
    ]);
  });

  it('prints TSV down a pipe, and JSON with --json', async () => {
    const tsv = await ada.pm(['report', 'time', ...WEEK, '--group-by', 'user,project']);
    expect(tsv.stdout.split('\n')[0]).toBe(
      'Group\tSubgroup\tSeconds\tEntries\tHours\th:mm\tAmount',
    );
    expect(tsvRows(tsv.stdout).at(-1)).toEqual([
      'Total',
      '',
      '8820',
      '3',
      '2.45',
      '2:27',
      '185.00 EUR',
    ]);
    expect(tsvRows(tsv.stdout)[1]).toEqual([
      'Ada Lovelace',
      'Backend (API)',
      '420',
      '1',
      '0.12',
      '0:07',
      '',
    ]);
    const report = json((await ada.pm(['report', 'time', ...WEEK, '--json'])).stdout);
    expect(report).toMatchObject({
      from: '2026-11-16',
      groupBy: ['project'],
      total: { hm: '2:27' },
    });
  });

  it('defaults to this week by the clock; --week last, an ISO week, weekdays of this week', async () => {
    const period = async (args: string[]) => {
      const { from, to } = json((await ada.pm(['report', 'time', '--json', ...args])).stdout);
      return `${from} ${to}`;
    };
    expect(await period([])).toBe('2026-11-16 2026-11-22');
    expect(await period(['--week', 'last'])).toBe('2026-11-09 2026-11-15');
    expect(await period(['--week', '2026-W48'])).toBe('2026-11-23 2026-11-29');
    expect(await period(['--from', 'monday', '--to', 'friday'])).toBe('2026-11-16 2026-11-20');
    expect(await period(['--from', '-1w', '--to', 'today'])).toBe('2026-11-11 2026-11-18');
    const last = json((await ada.pm(['report', 'time', '--json', '--week', 'last'])).stdout);
    expect(last.total.hm).toBe('0:20');
  });

  it('filters, rounds, and resolves people by e-mail or me', async () => {
    const hm = async (args: string[]) =>
      json((await ada.pm(['report', 'time', ...WEEK, '--json', ...args])).stdout).total.hm;
    expect(await hm(['--project', 'WEB'])).toBe('2:20');
    expect(await hm(['--user', 'me'])).toBe('1:37');
    expect(await hm(['--user', 'wang@example.com'])).toBe('0:50');
    expect(await hm(['--billable'])).toBe('2:20');
    expect(await hm(['--non-billable'])).toBe('0:07');
    expect(await hm(['--tag', 'dev', '--tag', 'other'])).toBe('0:50');
    expect(await hm(['--rounding', 'up', '--round-to', '15'])).toBe('2:45');
    expect(await hm(['--rounding', 'down'])).toBe('2:15');
    // A Member's report is their own time.
    const own = json((await wang.pm(['report', 'time', ...WEEK, '--json'])).stdout);
    expect(own.total).toMatchObject({ hm: '0:50', entries: 1 });
  });

  it('streams CSV to stdout or a file, with a byte order mark when asked', async () => {
    const csv = await ada.pm(['report', 'time', ...WEEK, '--format', 'csv']);
    expect(csv.code, csv.stderr).toBe(0);
    const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.user, r.note, r.duration])).toEqual([
      ['Ada Lovelace', 'Review', '1:30'],
      ['王小明', "'=1+1", '0:50'],
      ['Ada Lovelace', '', '0:07'],
    ]);
    const dir = tempDir();
    const file = join(dir, 'week.csv');
    const saved = await ada.pm(['report', 'time', ...WEEK, '--bom', '-o', file]);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toBe('');
    expect(saved.stderr).toMatch(/^✓ Saved the report to .*week\.csv \(\d+ B\)\n$/);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString()).toBe(csv.stdout);
  });

  it('saves a PDF whose grand total is the CSV’s durations added up, names in any script', async () => {
    const file = join(tempDir(), 'week.pdf');
    const saved = await ada.pm([...['report', 'time', ...WEEK], '--group-by', 'user', '-o', file]);
    expect(saved.code, saved.stderr).toBe(0);
    const { pages } = await pdfText(new Uint8Array(readFileSync(file)));
    const lines = pages.flat();
    expect(lines).toContain('王小明 1 0.83 0:50 50.00 EUR');
    const total = lines.find((line) => line.startsWith('Grand total'))!;
    const csv = await ada.pm(['report', 'time', ...WEEK, '--format', 'csv']);
    const minutes = (parse(csv.stdout, { columns: true }) as Record<string, string>[])
      .map((r) => r.duration!.split(':').map(Number))
      .reduce((sum, [h, m]) => sum + h! * 60 + m!, 0);
    expect(total.split(' ')[4]).toBe(
      `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`,
    );
    // Down a pipe, --format pdf writes the bytes to stdout.
    const piped = await ada.pm(['report', 'time', ...WEEK, '--format', 'pdf', '--paper', 'letter']);
    expect(piped.stdout.startsWith('%PDF-')).toBe(true);
  });

  it('will not write a PDF to a terminal, and says what is wrong with a flag', async () => {
    const tty = await ada.pm(['report', 'time', '--format', 'pdf'], { tty: true });
    expectFailure(tty, 2);
    expect(tty.stderr).toBe(
      'error: will not write a PDF to the terminal: pass -o FILE or redirect stdout\n',
    );
    const reversed = await ada.pm(['report', 'time', '--from', '2026-11-22', '--to', '2026-11-16']);
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toBe(
      'error: from (2026-11-22) is after to (2026-11-16)\n  --from: is after to\n',
    );
    const zone = await ada.pm(['report', 'time', '--tz', 'Mars/Olympus']);
    expect(zone.stderr).toContain('  --tz: is not an IANA time zone');
    const grouping = await ada.pm(['report', 'time', '--group-by', 'project,colour']);
    expect(grouping.code).toBe(2);
    expect(grouping.stderr).toContain('expected one or two of project, task, user');
    expectFailure(await ada.pm(['report', 'time', '--round-to', '15']), 2);
    expectFailure(await ada.pm(['report', 'time', '--week', 'last', '--from', 'monday']), 2);
    const other = await ada.pm(['org', 'list', '--format', 'pdf']);
    expect([other.code, other.stderr]).toEqual([
      2,
      'error: --format pdf is only for pm report time\n',
    ]);
  });
});
