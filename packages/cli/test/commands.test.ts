import type { CreatedApiKey, Member } from '@pmkit/sdk';
import { describe, expect, it, vi } from 'vitest';
import { parseTime } from '../src/args.js';
import { fakeApi, noPrompts, type RunOptions, runPm } from './helpers.js';

// Commands against a scripted API: arguments → requests, and answers → output.
const clock = { now: () => new Date('2025-06-15T12:00:00.000Z') };
const env = { PM_SERVER: 'http://pm.test', PM_TOKEN: 't', NO_COLOR: '1' };

const ada: Member = {
  userId: '00000000-0000-4000-8000-00000000000a',
  email: 'ada@example.com',
  name: 'Ada',
  role: 'owner',
  joinedAt: '2025-01-01T09:30:00.000Z',
};
const grace: Member = {
  ...ada,
  userId: ada.userId.replace(/a$/, 'b'),
  email: 'grace@example.com',
  name: 'Grace',
  role: 'member',
};
const key: CreatedApiKey = {
  id: '00000000-0000-4000-8000-0000000000c1',
  name: 'ci',
  prefix: 'pmk_ab12',
  scopes: ['tasks:write'],
  createdBy: ada.userId,
  createdAt: '2025-06-15T12:00:00.000Z',
  expiresAt: '2025-07-15T12:00:00.000Z',
  lastUsedAt: null,
  secret: 'pmk_ab12secret',
};
const page = <T>(items: T[]) => ({ items, nextCursor: null });

function pm(args: string[], routes: Record<string, unknown> = {}, options: RunOptions = {}) {
  const api = fakeApi(routes);
  const result = runPm(args, {
    fetch: api.fetch,
    clock,
    prompter: noPrompts,
    ...options,
    env: { ...env, ...options.env },
  });
  return result.then((r) => ({ ...r, api }));
}

describe('org-scoped commands', () => {
  it.each([
    [['org', 'members']],
    [['org', 'rename', 'New']],
    [['org', 'invite', 'grace@example.com']],
    [['org', 'role', 'grace@example.com', 'admin']],
    [['org', 'remove', 'grace@example.com']],
    [['org', 'leave']],
    [['org', 'transfer', 'grace@example.com', '--yes']],
    [['invite', 'list']],
    [['invite', 'revoke', 'x']],
    [['invite', 'resend', 'x']],
    [['apikey', 'create', '--name', 'ci', '--scope', 'tasks:write']],
    [['apikey', 'list']],
    [['apikey', 'revoke', 'x']],
    [['audit']],
  ])('pm %j without an organization exits 2 naming --org', async (args) => {
    const result = await pm(args);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe(
      'error: no organization selected; pass --org <slug>, set PM_ORG, or run `pm org switch <slug>`\n',
    );
    expect(result.api.calls).toEqual([]);
  });

  it('takes the organization from --org over PM_ORG', async () => {
    const result = await pm(
      ['org', 'members', '--org', 'flag'],
      {
        'GET /v1/orgs/flag/members': page([ada]),
      },
      { env: { PM_ORG: 'env' } },
    );
    expect(result.code).toBe(0);
    expect(result.api.calls).toEqual(['GET /v1/orgs/flag/members']);
  });

  it('org members prints a table with short times on a terminal', async () => {
    const result = await pm(
      ['org', 'members'],
      { 'GET /v1/orgs/acme/members': page([ada, grace]) },
      {
        tty: true,
        env: { PM_ORG: 'acme' },
      },
    );
    expect(result.stdout.split('\n')[0]).toMatch(/^EMAIL +NAME +ROLE +JOINED +USER ID$/);
    expect(result.stdout).toContain('ada@example.com    Ada    owner   2025-01-01 09:30 UTC');
  });
});

describe('member references', () => {
  const routes = {
    'GET /v1/orgs/acme/members': page([ada, grace]),
    [`PATCH /v1/orgs/acme/members/${grace.userId}`]: { ...grace, role: 'admin' },
  };

  it('resolves an e-mail address (any case) to the user id', async () => {
    const result = await pm(['org', 'role', 'Grace@Example.com', 'admin', '--org', 'acme'], routes);
    expect(result.code).toBe(0);
    expect(result.api.calls).toEqual([
      'GET /v1/orgs/acme/members?limit=200',
      `PATCH /v1/orgs/acme/members/${grace.userId}`,
    ]);
    expect(result.api.bodies[1]).toEqual({ role: 'admin' });
    expect(result.stderr).toBe('✓ grace@example.com is now admin in acme\n');
  });

  it('exits 4 with one line for an unknown e-mail, and 2 for something that is not one', async () => {
    const unknown = await pm(['org', 'remove', 'nobody@example.com', '--org', 'acme'], routes);
    expect(unknown).toMatchObject({
      code: 4,
      stderr: 'error: nobody@example.com is not a member of acme\n',
    });
    const bad = await pm(['org', 'remove', 'nobody', '--org', 'acme'], routes);
    expect(bad).toMatchObject({
      code: 2,
      stderr: 'error: "nobody" is neither an e-mail address nor a user id\n',
    });
  });

  it('refuses an unknown role before any request', async () => {
    const result = await pm(['org', 'role', 'grace@example.com', 'boss', '--org', 'acme'], routes);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: command-argument value 'boss' is invalid/);
    expect(result.api.calls).toEqual([]);
  });
});

describe('org transfer', () => {
  const routes = {
    'GET /v1/orgs/acme/members': page([ada, grace]),
    'POST /v1/orgs/acme/transfer-ownership': {
      id: 'o',
      slug: 'acme',
      name: 'Acme',
      role: 'admin',
      createdAt: ada.joinedAt,
    },
  };

  it('refuses without --yes when not interactive, naming the flag', async () => {
    const result = await pm(['org', 'transfer', 'grace@example.com', '--org', 'acme'], routes);
    expect(result).toMatchObject({
      code: 2,
      stderr: 'error: --yes is required to transfer ownership when not running interactively\n',
    });
    expect(result.api.calls).toEqual([]);
  });

  it('asks on a terminal, and does nothing when the answer is no', async () => {
    const confirm = vi.fn(async () => false);
    const result = await pm(['org', 'transfer', 'grace@example.com', '--org', 'acme'], routes, {
      tty: true,
      prompter: { ...noPrompts, confirm },
    });
    expect(confirm).toHaveBeenCalledExactlyOnceWith(
      'Make Grace <grace@example.com> the Owner of acme? You will become an Admin.',
    );
    expect(result).toMatchObject({
      code: 1,
      stderr: 'error: cancelled; ownership was not transferred\n',
    });
    expect(result.api.calls).toEqual(['GET /v1/orgs/acme/members?limit=200']);
  });

  it('transfers after a yes', async () => {
    const result = await pm(['org', 'transfer', 'grace@example.com', '--org', 'acme'], routes, {
      tty: true,
      prompter: { ...noPrompts, confirm: async () => true },
    });
    expect(result.code).toBe(0);
    expect(result.api.bodies[1]).toEqual({ userId: grace.userId });
    expect(result.stderr).toBe('✓ Grace <grace@example.com> now owns acme; you are admin\n');
  });
});

describe('apikey create', () => {
  const routes = { 'POST /v1/orgs/acme/api-keys': [201, key] };
  const args = ['apikey', 'create', '--name', 'ci', '--scope', 'tasks:write', '--org', 'acme'];

  it('prints only the secret when piped, so KEY=$(pm apikey create …) works', async () => {
    const result = await pm([...args, '--expires', '30d'], routes);
    expect(result).toMatchObject({ code: 0, stdout: 'pmk_ab12secret\n' });
    expect(result.stderr).toBe('✓ Created API key "ci" in acme\n');
    expect(result.api.bodies[0]).toEqual({
      name: 'ci',
      scopes: ['tasks:write'],
      expiresAt: '2025-07-15T12:00:00.000Z',
    });
  });

  it('prints the key with its secret and a warning on a terminal', async () => {
    const result = await pm(args, routes, { tty: true });
    expect(result.stdout).toContain('Secret:  pmk_ab12secret\n');
    expect(result.stdout).toContain('Expires: 2025-07-15 12:00 UTC\n');
    expect(result.stderr).toBe(
      '✓ Created API key "ci" in acme\n! Copy the secret now: it will not be shown again.\n',
    );
  });

  it('prints the whole object with --json, and a row with an explicit --format', async () => {
    const json = await pm([...args, '--json'], routes);
    expect(JSON.parse(json.stdout)).toEqual(key);
    const tsv = await pm([...args, '--format', 'tsv'], routes);
    expect(tsv.stdout.split('\n')[0]).toBe('Id\tName\tPrefix\tScopes\tCreated\tExpires\tSecret');
  });

  it('sends repeated scopes and refuses a malformed one or a bad expiry', async () => {
    const two = await pm([...args, '--scope', 'time:write'], routes);
    expect((two.api.bodies[0] as { scopes: string[] }).scopes).toEqual([
      'tasks:write',
      'time:write',
    ]);
    const scope = await pm([...args, '--scope', 'tasks'], routes);
    expect(scope.code).toBe(2);
    const expires = await pm([...args, '--expires', 'soon'], routes);
    expect(expires.code).toBe(2);
    expect(expires.stderr).toMatch(/^error: option '--expires <when>' argument 'soon' is invalid/);
    // A past expiry is the user's slip, named as the flag: exit 2, not the server's 422 (exit 5).
    const past = await pm([...args, '--expires', '2020-01-01'], routes);
    expect(past.code).toBe(2);
    expect(past.stderr).toMatch(/--expires.*must be in the future/);
  });
});

describe('audit', () => {
  it('sends the filters, counting durations back, and caps the page at --limit', async () => {
    const result = await pm(
      [
        'audit',
        '--org',
        'acme',
        '--action',
        'member.removed',
        '--since',
        '7d',
        '--until',
        '2025-06-14',
        '--limit',
        '5',
      ],
      { 'GET /v1/orgs/acme/audit': page([]) },
    );
    expect(result.code).toBe(0);
    expect(result.api.calls).toEqual([
      'GET /v1/orgs/acme/audit?limit=5&action=member.removed&since=2025-06-08T12%3A00%3A00.000Z&until=2025-06-14T00%3A00%3A00.000Z',
    ]);
    expect(result.stdout).toBe('Time\tAction\tActor\tEntity\tIP\tId\n');
  });

  it('resolves --actor given as an e-mail address', async () => {
    const result = await pm(['audit', '--org', 'acme', '--actor', 'grace@example.com'], {
      'GET /v1/orgs/acme/members': page([ada, grace]),
      'GET /v1/orgs/acme/audit': page([]),
    });
    expect(result.api.calls[1]).toBe(`GET /v1/orgs/acme/audit?limit=50&actor=${grace.userId}`);
  });
});

describe('auth commands without a terminal', () => {
  it('auth password names --password-stdin, and wants two lines with it', async () => {
    const bare = await pm(['auth', 'password']);
    expect(bare).toMatchObject({
      code: 2,
      stderr: 'error: --password-stdin is required when not running interactively\n',
    });
    const one = await pm(['auth', 'password', '--password-stdin'], {}, { stdin: 'only-one\n' });
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/^error: --password-stdin: expected two lines/);
    expect([...bare.api.calls, ...one.api.calls]).toEqual([]);
  });

  it('auth password asks for the new password twice on a terminal', async () => {
    const answers = ['old password', 'new password!', 'different!'];
    const password = vi.fn(async () => answers.shift() as string);
    const result = await pm(
      ['auth', 'password'],
      {},
      {
        tty: true,
        prompter: { ...noPrompts, password },
      },
    );
    expect(result).toMatchObject({ code: 2, stderr: 'error: the two passwords differ\n' });
    expect(password).toHaveBeenCalledTimes(3);
  });

  it.each([
    [
      ['auth', 'reset'],
      'error: pass --email to mail a reset token, or --token to set a new password\n',
    ],
    [
      ['auth', 'reset', '--email', 'a@b.co', '--token', 't'],
      'error: pass --email to mail a reset token, or --token to set a new password\n',
    ],
    [
      ['auth', 'reset', '--token', 't'],
      'error: --password-stdin is required when not running interactively\n',
    ],
    [['auth', 'verify'], 'error: pass the token from the mail, or --resend for a new one\n'],
    [['auth', 'login', '--with-token'], 'error: --with-token: stdin was empty\n'],
    [
      ['auth', 'login', '--with-token', '--email', 'a@b.co'],
      'error: --with-token cannot be combined with --email or --password-stdin\n',
    ],
  ])('pm %j exits 2', async (args, stderr) => {
    const result = await pm(args);
    expect(result).toMatchObject({ code: 2, stdout: '', stderr });
  });
});

describe('auth register --invitation', () => {
  it('sends the invitation token with the registration', async () => {
    const user = { id: ada.userId, email: 'grace@example.com', name: 'grace' };
    const session = {
      accessToken: 'a',
      refreshToken: 'r',
      expiresIn: 900,
      tokenType: 'Bearer',
      user,
    };
    const result = await pm(
      [
        'auth',
        'register',
        '--email',
        'grace@example.com',
        '--invitation',
        'pmi_1',
        '--password-stdin',
      ],
      { 'POST /v1/auth/register': [201, session] },
      { stdin: 'correct horse battery staple', env: { PM_TOKEN: '' } },
    );
    expect(result.code).toBe(0);
    expect(result.api.bodies[0]).toEqual({
      email: 'grace@example.com',
      name: 'grace',
      password: 'correct horse battery staple',
      invitationToken: 'pmi_1',
    });
  });
});

describe('parseTime', () => {
  it.each([
    ['30d', false, '2025-07-15T12:00:00.000Z'],
    ['12h', true, '2025-06-15T00:00:00.000Z'],
    ['2w', false, '2025-06-29T12:00:00.000Z'],
    ['90m', true, '2025-06-15T10:30:00.000Z'],
    ['2026-01-01', false, '2026-01-01T00:00:00.000Z'],
    ['2026-01-01T09:30:00+02:00', false, '2026-01-01T07:30:00.000Z'],
  ])('%s (ago: %s) → %s', (value, ago, expected) => {
    expect(parseTime(value, clock, ago)).toBe(expected);
  });

  it.each([['tomorrow'], ['2026-13-01'], ['2026-01-01T09:30'], ['5y'], ['']])(
    'refuses %j',
    (value) => {
      expect(() => parseTime(value, clock, false)).toThrow(/^expected a date/);
    },
  );
});
