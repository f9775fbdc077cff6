import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Profile } from '../src/config.js';
import { noPrompts, type RunOptions, runPm, tempDir } from './helpers.js';

// One server and one profile directory walk through a user's first session, in order.
let server: TestServer;
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
const configDir = tempDir();
const password = 'correct horse battery staple';

beforeAll(async () => {
  server = await startTestServer({ clock });
});
afterAll(async () => {
  await server?.close();
});

function pm(args: string[], options: RunOptions = {}) {
  return runPm(args, {
    configDir,
    fetch: server.fetch,
    clock,
    prompter: noPrompts,
    ...options,
    env: { PM_SERVER: server.url, NO_COLOR: '1', ...options.env },
  });
}

function profile(): Profile {
  const file = JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8'));
  return file.profiles.default;
}

describe('pm against a real server', () => {
  it('status reports a reachable server and nobody signed in', async () => {
    const result = await pm(['status', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      server: server.url,
      reachable: true,
      version: expect.any(String),
      database: expect.stringMatching(/^(pglite|postgresql)$/),
      registration: 'open',
      user: null,
      org: null,
    });
  });

  it('auth register reads the password from stdin and saves the session (0600)', async () => {
    const result = await pm(
      ['auth', 'register', '--email', 'ada@example.com', '--name', 'Ada', '--password-stdin'],
      { stdin: `${password}\n` },
    );
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toBe(`✓ Registered and signed in to ${server.url} as ada@example.com\n`);
    expect(profile()).toEqual({
      server: server.url,
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      user: { id: expect.any(String), email: 'ada@example.com', name: 'Ada' },
    });
    expect(statSync(join(configDir, 'config.json')).mode & 0o777).toBe(0o600);
  });

  it('auth register refuses a taken e-mail with exit 5', async () => {
    const result = await pm(
      ['auth', 'register', '--email', 'ada@example.com', '--password-stdin'],
      {
        stdin: password,
      },
    );
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/^error: .+\n$/);
  });

  it('status and auth status show the signed-in user', async () => {
    const status = await pm(['status'], { tty: true });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('User:      Ada <ada@example.com>');
    const auth = await pm(['auth', 'status', '--json']);
    expect(auth.code).toBe(0);
    expect(JSON.parse(auth.stdout)).toMatchObject({
      server: server.url,
      profile: 'default',
      tokenSource: 'profile',
      user: { email: 'ada@example.com', name: 'Ada' },
    });
  });

  it('auth token prints the saved access token', async () => {
    const result = await pm(['auth', 'token']);
    expect(result).toMatchObject({ code: 0, stdout: `${profile().accessToken}\n`, stderr: '' });
  });

  it('org create makes an organization and prints it', async () => {
    const result = await pm(['org', 'create', 'Acme Inc.', '--slug', 'acme', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      id: expect.any(String),
      slug: 'acme',
      name: 'Acme Inc.',
      role: 'owner',
      createdAt: expect.any(String),
    });
    expect(result.stderr).toBe('✓ Created acme\n');
  });

  it('org create maps a taken slug to exit 5 and an invalid one to field errors', async () => {
    const taken = await pm(['org', 'create', 'Again', '--slug', 'acme']);
    expect(taken.code).toBe(5);
    const invalid = await pm(['org', 'create', 'Bad', '--slug', 'Not A Slug']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^error: .+\n {2}--slug: .+\n$/);
  });

  it('org list prints TSV when piped and a JSON array with --json', async () => {
    await pm(['org', 'create', 'Beta', '--slug', 'beta']);
    const tsv = await pm(['org', 'list']);
    expect(tsv.code).toBe(0);
    const lines = tsv.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Slug\tName\tRole\tId');
    expect(lines.slice(1).map((l) => l.split('\t').slice(0, 3).join(' '))).toEqual([
      'acme Acme Inc. owner',
      'beta Beta owner',
    ]);
    const json = await pm(['org', 'list', '--json', '--limit', '1']);
    const orgs = JSON.parse(json.stdout) as { slug: string }[];
    expect(orgs.map((o) => o.slug)).toEqual(['acme']);
    expect(Object.keys(orgs[0] ?? {}).sort()).toEqual(['createdAt', 'id', 'name', 'role', 'slug']);
  });

  it('org switch stores the current org; an unknown one exits 4', async () => {
    const result = await pm(['org', 'switch', 'beta']);
    expect(result).toMatchObject({ code: 0, stderr: '✓ Switched to beta (Beta)\n' });
    expect(profile().org).toBe('beta');
    const table = await pm(['org', 'list'], { tty: true });
    expect(table.stdout).toMatch(/^ {3}SLUG +NAME +ROLE +ID\n {3}acme .+\n\* {2}beta /);
    const missing = await pm(['org', 'switch', 'nope']);
    expect(missing.code).toBe(4);
    expect(profile().org).toBe('beta');
  });

  it('PM_TOKEN works without a saved session, and flags beat it', async () => {
    const token = profile().accessToken as string;
    const dir = tempDir();
    const result = await pm(['auth', 'status', '--json'], {
      configDir: dir,
      env: { PM_TOKEN: token },
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ tokenSource: 'env', org: null });
    const org = await pm(['auth', 'status', '--json', '--org', 'acme'], {
      configDir: dir,
      env: { PM_TOKEN: token, PM_ORG: 'beta' },
    });
    expect(JSON.parse(org.stdout)).toMatchObject({ org: 'acme' });
  });

  it('refreshes an expired session and saves the new tokens', async () => {
    const before = profile();
    offsetMs += 60 * 60 * 1000;
    const result = await pm(['org', 'list', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveLength(2);
    const after = profile();
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);

    offsetMs += 60 * 60 * 1000;
    const token = await pm(['auth', 'token']);
    expect(token.code).toBe(0);
    expect(token.stdout).not.toBe(`${after.accessToken}\n`);
    expect(token.stdout).toBe(`${profile().accessToken}\n`);
  });

  it('auth login prompts on a terminal and refuses a wrong password with exit 3', async () => {
    const prompter = {
      input: vi.fn(async () => 'ada@example.com'),
      password: vi.fn(async () => password),
      confirm: vi.fn(async () => false),
    };
    const ok = await pm(['auth', 'login'], { tty: true, prompter });
    expect(ok.code).toBe(0);
    expect(prompter.input).toHaveBeenCalledExactlyOnceWith('Email');
    expect(prompter.password).toHaveBeenCalledOnce();

    const wrong = await pm(['auth', 'login', '--email', 'ada@example.com', '--password-stdin'], {
      stdin: 'not the password',
    });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/^error: /);
  });

  it('auth logout revokes and forgets the session', async () => {
    const token = profile().accessToken as string;
    const result = await pm(['auth', 'logout']);
    expect(result).toMatchObject({ code: 0, stderr: `✓ Signed out of ${server.url}\n` });
    expect(profile()).toEqual({ server: server.url, org: 'beta' });
    expect((await pm(['auth', 'status'])).code).toBe(3);
    expect((await pm(['auth', 'token'])).code).toBe(3);
    const revoked = await pm(['auth', 'status'], { env: { PM_TOKEN: token } });
    expect(revoked.code).toBe(3);
  });
});
