import type { Lead } from '@pmkit/sdk';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliUser, cliUser, expectFailure, tsvRows } from './helpers.js';

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
