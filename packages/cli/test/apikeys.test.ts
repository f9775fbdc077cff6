import type { ApiKey, AuditEvent, CreatedApiKey } from '@pmkit/sdk';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliUser, cliUser, expectFailure, tsvRows } from './helpers.js';

// API keys from creation to revocation, a script signing in with one, and the audit trail.
let server: TestServer;
let ada: CliUser;
let ci: CliUser;
let secret: string;
let keys: CreatedApiKey[] = [];

beforeAll(async () => {
  server = await startTestServer();
  ada = cliUser(server);
  ci = cliUser(server);
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

describe('API keys', () => {
  it('apikey create prints only the secret when piped; another org exits 4', async () => {
    const result = await ada.pm([
      'apikey',
      'create',
      '--name',
      'ci',
      '--scope',
      'orgs:read',
      '--scope',
      'members:read',
      '--expires',
      '30d',
    ]);
    expect(result).toMatchObject({ code: 0, stderr: '✓ Created API key "ci" in acme\n' });
    expect(result.stdout).toMatch(/^pmk_\S+\n$/);
    secret = result.stdout.trimEnd();
    expectFailure(
      await ada.pm(['apikey', 'create', '--name', 'x', '--scope', 'tasks:read', '--org', 'nope']),
      4,
    );
  });

  it('apikey create --json gives the whole key, with its secret; apikey list never does', async () => {
    const result = await ada.pm([
      'apikey',
      'create',
      '--name',
      'report',
      '--scope',
      'audit:read',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const key = JSON.parse(result.stdout) as CreatedApiKey;
    expect(key).toMatchObject({ name: 'report', scopes: ['audit:read'], expiresAt: null });
    expect(key.secret.startsWith(key.prefix)).toBe(true);

    const list = await ada.pm(['apikey', 'list', '--json']);
    const listed = JSON.parse(list.stdout) as (ApiKey & { secret?: string })[];
    expect(listed.map((k) => k.name)).toEqual(['report', 'ci']);
    expect(listed.every((k) => k.secret === undefined)).toBe(true);
    expect(list.stdout).not.toContain(secret);
    keys = listed as CreatedApiKey[];

    const tsv = await ada.pm(['apikey', 'list']);
    expect(tsv.stdout.split('\n')[0]).toBe('Id\tName\tPrefix\tScopes\tCreated\tExpires\tLast Used');
    expect(tsvRows(tsv.stdout).map((row) => [row[1], row[3], row[5]])).toEqual([
      ['report', 'audit:read', 'never'],
      ['ci', 'orgs:read,members:read', expect.stringMatching(/^\d{4}-.+Z$/)],
    ]);
    expectFailure(await ada.pm(['apikey', 'list', '--org', 'nope']), 4);
  });

  it('auth login --with-token saves an API key and its org; a bad token exits 3', async () => {
    const result = await ci.pm(['auth', 'login', '--with-token'], { stdin: `${secret}\n` });
    expect(result).toMatchObject({
      code: 0,
      stdout: '',
      stderr: `✓ Signed in to ${server.url} as ada@example.com with an API key for acme\n`,
    });
    expect(ci.profile()).toEqual({
      server: server.url,
      accessToken: secret,
      org: 'acme',
      user: { id: expect.any(String), email: 'ada@example.com', name: 'Ada' },
    });
    const status = await ci.pm(['auth', 'status', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      tokenSource: 'profile',
      org: 'acme',
      user: { email: 'ada@example.com' },
    });
    expect((await ci.pm(['auth', 'token'])).stdout).toBe(`${secret}\n`);
    const members = await ci.pm(['org', 'members']);
    expect(tsvRows(members.stdout).map((row) => row[0])).toEqual(['ada@example.com']);

    expectFailure(
      await cliUser(server).pm(['auth', 'login', '--with-token'], { stdin: 'pmk_nope' }),
      3,
    );
  });

  it('an API key cannot go beyond its scopes (exit 3)', async () => {
    expectFailure(await ci.pm(['invite', 'list']), 3);
    expectFailure(await ci.pm(['audit']), 3);
  });

  it('apikey revoke makes the key useless; an unknown id exits 4', async () => {
    const id = keys.find((k) => k.name === 'ci')?.id as string;
    const result = await ada.pm(['apikey', 'revoke', id]);
    expect(result).toMatchObject({ code: 0, stderr: `✓ Revoked API key ${id}\n` });
    expect((await ci.pm(['auth', 'status'])).code).toBe(3);
    expectFailure(await ada.pm(['apikey', 'revoke', id]), 4);
    expect(tsvRows((await ada.pm(['apikey', 'list'])).stdout).map((row) => row[1])).toEqual([
      'report',
    ]);
  });

  it('auth logout forgets a saved API key without asking the server', async () => {
    const result = await ci.pm(['auth', 'logout']);
    expect(result).toMatchObject({ code: 0, stderr: `✓ Signed out of ${server.url}\n` });
    expect(ci.profile()).toEqual({ server: server.url, org: 'acme' });
  });
});

describe('audit', () => {
  const events = async (args: string[] = []) => {
    const result = await ada.pm(['audit', '--json', ...args]);
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as AuditEvent[];
  };

  it('lists the organization’s events newest first', async () => {
    const all = await events();
    expect(all.map((e) => e.action)).toEqual([
      'api_key.revoked',
      'api_key.created',
      'api_key.created',
      'org.created',
      // Members' account events are part of their organization's audit log.
      'user.registered',
    ]);
    expect(all[0]?.actor).toEqual({
      kind: 'user',
      id: ada.profile().user?.id,
      email: 'ada@example.com',
      name: ada.profile().user?.name,
    });
    const table = await ada.pm(['audit', '--limit', '2'], { tty: true });
    expect(table.stdout.split('\n')[0]).toMatch(/^TIME +ACTION +ACTOR +ENTITY +IP +ID$/);
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(3);
  });

  it('filters by action, actor (e-mail or id) and time', async () => {
    expect((await events(['--action', 'api_key.created'])).map((e) => e.action)).toEqual([
      'api_key.created',
      'api_key.created',
    ]);
    expect(await events(['--actor', 'ada@example.com'])).toHaveLength(5);
    expect(await events(['--actor', '00000000-0000-4000-8000-000000000000'])).toEqual([]);
    expect(await events(['--since', '1h'])).toHaveLength(5);
    expect(await events(['--until', '2000-01-01'])).toEqual([]);
    expect(await events(['--limit', '1'])).toHaveLength(1);
  });

  it('is refused to a non-member with exit 4, and an unknown actor e-mail exits 4', async () => {
    const stranger = cliUser(server);
    await stranger.pm(['auth', 'register', '--email', 'eve@example.com', '--password-stdin'], {
      stdin: 'correct horse battery staple',
    });
    expectFailure(await stranger.pm(['audit', '--org', 'acme']), 4);
    const unknown = await ada.pm(['audit', '--actor', 'eve@example.com']);
    expect(unknown).toMatchObject({
      code: 4,
      stderr: 'error: eve@example.com is not a member of acme\n',
    });
  });
});
