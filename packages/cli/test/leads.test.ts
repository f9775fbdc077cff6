import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lead } from '@pmkit/sdk';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliUser, cliUser, expectFailure, tempDir, tsvRows } from './helpers.js';

let server: TestServer;
let ada: CliUser;

beforeAll(async () => {
  server = await startTestServer();
  ada = cliUser(server);
  const registered = await ada.pm(
    ['auth', 'register', '--email', 'ada@example.com', '--name', 'Ada', '--password-stdin'],
    { stdin: 'correct horse battery staple' },
  );
  expect(registered.code).toBe(0);
  expect((await ada.pm(['org', 'create', 'Acme', '--slug', 'acme', '--switch'])).code).toBe(0);
});
afterAll(async () => {
  await server?.close();
});

describe('pm lead', () => {
  let lead: Lead;

  it('create, show, update, list and delete', async () => {
    const created = await ada.pm([
      'lead',
      'create',
      'Jean Dupont',
      '--phone',
      '+33 6 12 34 56 78',
      '--source',
      'referral',
      '--tag',
      'hot',
      '--tag',
      'paris',
      '--preferences',
      '{"bedrooms":3}',
      '--json',
    ]);
    expect(created.code, created.stderr).toBe(0);
    lead = JSON.parse(created.stdout) as Lead;
    expect(lead).toMatchObject({
      name: 'Jean Dupont',
      status: 'new',
      tags: ['hot', 'paris'],
      preferences: { bedrooms: 3 },
    });
    const shown = JSON.parse((await ada.pm(['lead', 'show', lead.id, '--json'])).stdout) as Lead;
    expect(shown).toEqual(lead);
    const updated = await ada.pm([
      'lead',
      'update',
      lead.id,
      '--status',
      'qualified',
      '--email',
      'jean@example.com',
      '--json',
    ]);
    expect(JSON.parse(updated.stdout)).toMatchObject({
      status: 'qualified',
      email: 'jean@example.com',
    });
    const listed = await ada.pm(['lead', 'list', '--status', 'qualified', '--format', 'tsv']);
    const rows = tsvRows(listed.stdout);
    expect(rows.map((r) => r[1])).toEqual(['Jean Dupont']);
    expect((await ada.pm(['lead', 'delete', lead.id])).code).toBe(0);
    expectFailure(await ada.pm(['lead', 'show', lead.id]), 4);
  });

  it('names the flag a refused field came from', async () => {
    const noContact = await ada.pm(['lead', 'create', 'Nobody']);
    expect(noContact).toMatchObject({ code: 2, stdout: '' });
    expect(noContact.stderr).toContain('--email: is required when there is no phone');
    const badStatus = await ada.pm([
      'lead',
      'create',
      'X',
      '--email',
      'x@example.com',
      '--status',
      'nope',
    ]);
    expect(badStatus.stderr).toContain('No lead status "nope"');
    expectFailure(await ada.pm(['lead', 'update', lead.id]), 2);
    expectFailure(await ada.pm(['lead', 'create', 'X', '--preferences', '[1]']), 2);
  });
});

describe('pm lead convert, bulk, filter', () => {
  const createLead = async (name: string, ...flags: string[]) => {
    const created = await ada.pm([
      'lead',
      'create',
      name,
      '--email',
      `${name.toLowerCase()}@example.com`,
      ...flags,
      '--json',
    ]);
    expect(created.code, created.stderr).toBe(0);
    return JSON.parse(created.stdout) as Lead;
  };

  it('converts a won lead into a project, made the default with --use; not twice', async () => {
    const open = await createLead('Opened');
    const notWon = await ada.pm(['lead', 'convert', open.id, '--key', 'NOPE', '--name', 'x']);
    expectFailure(notWon, 5);
    expect(notWon.stderr).toContain('Only won leads are converted');
    const won = await createLead('Winner', '--status', 'won', '--company', 'Winner Ltd');
    const converted = await ada.pm([
      'lead',
      'convert',
      won.id,
      '--key',
      'web',
      '--name',
      'Website',
      '--start',
      '2026-09-01',
      '--use',
      '--json',
    ]);
    expect(converted.code, converted.stderr).toBe(0);
    const { lead, project } = JSON.parse(converted.stdout) as {
      lead: Lead;
      project: { id: string; key: string; leadId: string; clientName: string };
    };
    expect(project).toMatchObject({ key: 'WEB', leadId: won.id, clientName: 'Winner Ltd' });
    expect(lead.projectId).toBe(project.id);
    const shown = await ada.pm(['project', 'show', '--json']);
    expect(JSON.parse(shown.stdout)).toMatchObject({ key: 'WEB', leadId: won.id });
    const twice = await ada.pm(['lead', 'convert', won.id, '--key', 'WEB2', '--name', 'x']);
    expectFailure(twice, 5);
    expect(twice.stderr).toContain('already converted into project WEB');
  });

  it('changes many leads at once, from arguments or stdin; exits 1 when one failed', async () => {
    const a = await createLead('Bulka', '--tag', 'fair');
    const b = await createLead('Bulkb', '--tag', 'fair');
    const byArgs = await ada.pm(['lead', 'bulk', a.id, b.id, '--status', 'qualified']);
    expect(byArgs.code, byArgs.stderr).toBe(0);
    expect(byArgs.stderr).toContain('2 changed, 0 failed');
    const listed = await ada.pm(['lead', 'list', '--tag', 'fair', '--json']);
    const piped = await ada.pm(['lead', 'bulk', '-', '--tag', 'cold', '--untag', 'fair'], {
      stdin: listed.stdout,
    });
    expect(piped.code, piped.stderr).toBe(0);
    const after = JSON.parse((await ada.pm(['lead', 'show', a.id, '--json'])).stdout) as Lead;
    expect(after).toMatchObject({ status: 'qualified', tags: ['cold'] });
    const unknown = '00000000-0000-4000-8000-000000000000';
    const partly = await ada.pm(['lead', 'bulk', a.id, unknown, '--owner', 'me']);
    expect(partly.code).toBe(1);
    expect(partly.stderr).toContain(`${unknown}: No lead ${unknown}`);
    expectFailure(await ada.pm(['lead', 'bulk', a.id, '--status', 'won', '--delete']), 2);
    expectFailure(await ada.pm(['lead', 'bulk', 'not-an-id', '--delete']), 2);
    const badStatus = await ada.pm(['lead', 'bulk', a.id, '--status', 'nope']);
    expectFailure(badStatus, 5);
  });

  it('saves filters, lists with one (flags win), and deletes them', async () => {
    await createLead('Filtered', '--tag', 'saved', '--source', 'referral');
    await createLead('Other', '--tag', 'saved', '--source', 'web');
    const saved = await ada.pm([
      'lead',
      'filter',
      'save',
      'Saved',
      '--tag',
      'saved',
      '--owner',
      'me',
    ]);
    expect(saved.code, saved.stderr).toBe(0);
    const list = await ada.pm(['lead', 'filter', 'list', '--format', 'tsv']);
    expect(tsvRows(list.stdout)).toContainEqual([
      'Saved',
      'owner=me tag=saved',
      expect.stringMatching(/^[0-9a-f-]{36}$/),
    ]);
    const names = async (...flags: string[]) =>
      tsvRows((await ada.pm(['lead', 'list', ...flags, '--format', 'tsv'])).stdout).map(
        (r) => r[1],
      );
    expect((await names('--filter', 'saved')).sort()).toEqual(['Filtered', 'Other']);
    expect(await names('--filter', 'saved', '--source', 'referral')).toEqual(['Filtered']);
    expectFailure(await ada.pm(['lead', 'filter', 'save', 'Saved', '--tag', 'x']), 5);
    const replaced = await ada.pm([
      'lead',
      'filter',
      'save',
      'saved',
      '--source',
      'web',
      '--replace',
    ]);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(await names('--filter', 'Saved')).toEqual(['Other']);
    const range = await ada.pm([
      'lead',
      'filter',
      'save',
      'Empty',
      '--score-min',
      '5',
      '--score-max',
      '1',
    ]);
    expect(range).toMatchObject({ code: 2, stdout: '' });
    expect(range.stderr).toContain('--score-min: must not be above scoreMax');
    expectFailure(await ada.pm(['lead', 'filter', 'save', 'Nothing']), 2);
    expect((await ada.pm(['lead', 'filter', 'delete', 'SAVED'])).code).toBe(0);
    expectFailure(await ada.pm(['lead', 'list', '--filter', 'saved']), 4);
  });

  it('update --if-match refuses a stale version with exit 5', async () => {
    const lead = await createLead('Versioned');
    const ok = await ada.pm(['lead', 'update', lead.id, '--notes', 'one', '--if-match', '1']);
    expect(ok.code, ok.stderr).toBe(0);
    expectFailure(
      await ada.pm(['lead', 'update', lead.id, '--notes', 'two', '--if-match', '1']),
      5,
    );
  });
});

describe('pm lead import', () => {
  it('prints a summary, exits 1 when rows failed, and writes the refused rows to --errors', async () => {
    const dir = tempDir();
    const file = join(dir, 'leads.csv');
    writeFileSync(
      file,
      'Name;E-mail;Lead Source\r\nAnne;anne@example.com;web\r\nBad;not-an-email;web\r\nAnne again;ANNE@example.com;web\r\n',
    );
    const errors = join(dir, 'rejected.csv');
    const first = await ada.pm(['lead', 'import', file, '--errors', errors]);
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toMatch(
      /^Created 1, updated 0, skipped 1, failed 1 of 3 rows \(import [0-9a-f-]{36}\)\n$/,
    );
    expect(first.stderr).toContain('row 2, E-mail: is not an e-mail address');
    expect(readFileSync(errors, 'utf8')).toBe(
      'Name,E-mail,Lead Source,error\nBad,not-an-email,web,E-mail: is not an e-mail address\n',
    );
    const dry = await ada.pm([
      'lead',
      'import',
      file,
      '--dry-run',
      '--on-duplicate',
      'update',
      '--json',
    ]);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      dryRun: true,
      updated: 1,
      skipped: 1,
      failed: 1,
    });
    const clean = join(dir, 'clean.csv');
    writeFileSync(clean, 'Name,Email\nBea,bea@example.com\n');
    const ok = await ada.pm(['lead', 'import', clean]);
    expect(ok.code, ok.stderr).toBe(0);
    expectFailure(await ada.pm(['lead', 'import', join(dir, 'missing.csv')]), 2);
    expectFailure(await ada.pm(['lead', 'import', clean, '--dedupe', 'fax']), 2);
  });
});

describe('pm lead stats', () => {
  it('prints counts and the conversion rate', async () => {
    const result = await ada.pm(['lead', 'stats', '--format', 'tsv']);
    expect(result.code, result.stderr).toBe(0);
    const rows = tsvRows(result.stdout);
    expect(rows).toContainEqual(['total', '', expect.stringMatching(/^\d+$/)]);
    expect(rows.find((r) => r[0] === 'conversion')).toBeDefined();
    const json = JSON.parse((await ada.pm(['lead', 'stats', '--since', '1d', '--json'])).stdout);
    // The lead `pm lead convert` converted above.
    expect(json).toMatchObject({ conversion: { won: 1, lost: 0, converted: 1, rate: 1 } });
  });
});

describe('pm notifications', () => {
  it('lists (none yet) and refuses an unknown id with exit 4', async () => {
    const listed = await ada.pm(['notifications', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([]);
    expectFailure(
      await ada.pm(['notifications', 'read', '00000000-0000-4000-8000-000000000000']),
      4,
    );
  });
});
