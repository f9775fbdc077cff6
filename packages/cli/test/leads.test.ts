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
    expect(json).toMatchObject({ conversion: { won: 0, lost: 0, rate: null } });
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
