import type { SessionInfo, User } from '@pmkit/sdk';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliUser, cliUser, expectFailure, tsvRows } from './helpers.js';

// One account's lifecycle: verification, sessions on two machines, password change and reset.
let server: TestServer;
let laptop: CliUser;
let desktop: CliUser;
const email = 'ada@example.com';
let password = 'correct horse battery staple';
let verifyToken: string;

beforeAll(async () => {
  server = await startTestServer();
  laptop = cliUser(server);
  desktop = cliUser(server);
  const mark = server.mail.mark();
  const registered = await laptop.pm(
    ['auth', 'register', '--email', email, '--name', 'Ada', '--password-stdin'],
    { stdin: password },
  );
  expect(registered.code).toBe(0);
  verifyToken = await server.mail.token(email, /Confirm your e-mail/, { after: mark });
});
afterAll(async () => {
  await server?.close();
});

const login = (user: CliUser, secret = password) =>
  user.pm(['auth', 'login', '--email', email, '--password-stdin'], { stdin: secret });

describe('e-mail verification', () => {
  it('auth verify --resend mails a new token', async () => {
    const mark = server.mail.mark();
    const result = await laptop.pm(['auth', 'verify', '--resend']);
    expect(result).toMatchObject({ code: 0, stderr: '✓ A new verification mail is on its way\n' });
    verifyToken = await server.mail.token(email, /Confirm your e-mail/, { after: mark });
  });

  it('auth verify confirms the address; a used token exits 4 (gone), verifying twice 5', async () => {
    const result = await laptop.pm(['auth', 'verify', verifyToken, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject<Partial<User>>({ email, emailVerified: true });
    expect(result.stderr).toBe(`✓ Verified ${email}\n`);
    expectFailure(await laptop.pm(['auth', 'verify', verifyToken]), 4);
    expectFailure(await laptop.pm(['auth', 'verify', '--resend']), 5);
  });
});

describe('sessions', () => {
  let other: SessionInfo;

  it('auth sessions lists them with this one marked', async () => {
    expect((await login(desktop)).code).toBe(0);
    const json = await laptop.pm(['auth', 'sessions', '--json']);
    expect(json.code).toBe(0);
    const sessions = JSON.parse(json.stdout) as SessionInfo[];
    expect(sessions).toHaveLength(2);
    expect(sessions.map((s) => s.current)).toEqual([false, true]); // newest first: the desktop's
    other = sessions[0] as SessionInfo;

    const table = await laptop.pm(['auth', 'sessions'], { tty: true });
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ {3}ID +CREATED +LAST USED +IP +USER AGENT$/);
    expect(lines[1]).toMatch(new RegExp(`^ {3}${other.id} `));
    expect(lines[2]).toMatch(/^\* {2}[0-9a-f-]{36} .*pm\/0\.1\.0/);

    const tsv = await laptop.pm(['auth', 'sessions', 'list']);
    expect(tsvRows(tsv.stdout).map((row) => row.at(-1))).toEqual(['false', 'true']);
    expectFailure(await cliUser(server).pm(['auth', 'sessions']), 3);
  });

  it('auth sessions revoke signs another machine out; an unknown id exits 4', async () => {
    const result = await laptop.pm(['auth', 'sessions', 'revoke', other.id]);
    expect(result).toMatchObject({ code: 0, stderr: `✓ Signed session ${other.id} out\n` });
    expectFailure(await desktop.pm(['auth', 'status']), 3);
    expectFailure(await laptop.pm(['auth', 'sessions', 'revoke', other.id]), 4);
  });
});

describe('passwords', () => {
  it('auth password changes it and signs the other sessions out; a wrong current one exits 3', async () => {
    expect((await login(desktop)).code).toBe(0);
    expectFailure(
      await laptop.pm(['auth', 'password', '--password-stdin'], {
        stdin: 'not my password\nanother password 1\n',
      }),
      3,
    );
    const next = 'a brand new password';
    const result = await laptop.pm(['auth', 'password', '--password-stdin'], {
      stdin: `${password}\n${next}\n`,
    });
    expect(result).toMatchObject({
      code: 0,
      stderr: '✓ Password changed; your other sessions were signed out\n',
    });
    password = next;
    expect((await laptop.pm(['auth', 'status'])).code).toBe(0);
    expect((await desktop.pm(['auth', 'status'])).code).toBe(3);
    expect((await login(desktop)).code).toBe(0);
  });

  it('auth password prompts on a terminal', async () => {
    const answers = [password, 'typed on a terminal', 'typed on a terminal'];
    const result = await laptop.pm(['auth', 'password'], {
      tty: true,
      prompter: {
        input: async () => '',
        confirm: async () => false,
        password: async () => answers.shift() as string,
      },
    });
    expect(result.code).toBe(0);
    expect(answers).toEqual([]);
    password = 'typed on a terminal';
  });

  it('auth reset mails a token and sets a new password with it; a used token exits 4', async () => {
    const mark = server.mail.mark();
    const anonymous = cliUser(server);
    const request = await anonymous.pm(['auth', 'reset', '--email', email]);
    expect(request).toMatchObject({
      code: 0,
      stderr: `✓ If ${email} has an account on ${server.url}, a token is on its way\n`,
    });
    const token = await server.mail.token(email, /Reset your pmkit password/, { after: mark });
    const unknown = await anonymous.pm(['auth', 'reset', '--email', 'nobody@example.com']);
    expect(unknown.code).toBe(0);

    const reset = await anonymous.pm(['auth', 'reset', '--token', token, '--password-stdin'], {
      stdin: 'reset by mail 1234\n',
    });
    expect(reset).toMatchObject({
      code: 0,
      stderr: '✓ Password changed and every session signed out; sign in with `pm auth login`\n',
    });
    expect((await laptop.pm(['auth', 'status'])).code).toBe(3);
    expectFailure(await login(laptop), 3);
    expect((await login(laptop, 'reset by mail 1234')).code).toBe(0);
    expectFailure(
      await anonymous.pm(['auth', 'reset', '--token', token, '--password-stdin'], {
        stdin: 'another one 12345',
      }),
      4,
    );
  });
});

describe('registration by invitation', () => {
  it('auth register --invitation signs up the invited address, which then accepts', async () => {
    const owner = cliUser(server);
    expect((await login(owner, 'reset by mail 1234')).code).toBe(0);
    const mark = server.mail.mark();
    expect((await owner.pm(['org', 'create', 'Acme', '--slug', 'acme'])).code).toBe(0);
    expect((await owner.pm(['org', 'invite', 'grace@example.com', '--org', 'acme'])).code).toBe(0);
    const token = await server.mail.token('grace@example.com', /invited you/, { after: mark });

    const grace = cliUser(server);
    const registered = await grace.pm(
      [
        'auth',
        'register',
        '--email',
        'grace@example.com',
        '--invitation',
        token,
        '--password-stdin',
      ],
      { stdin: 'grace hopper 1906' },
    );
    expect(registered).toMatchObject({
      code: 0,
      stderr: `✓ Registered and signed in to ${server.url} as grace@example.com\n`,
    });
    const accepted = await grace.pm(['invite', 'accept', token]);
    expect(accepted).toMatchObject({ code: 0, stderr: '✓ Joined acme as member\n' });
  });

  it('an invite-only server refuses registration without a live invitation (exit 3)', async () => {
    const inviteOnly = await startTestServer({ config: { registration: 'invite' } });
    try {
      // The first account of a fresh server may register without one, so the server can be set up.
      await inviteOnly
        .client()
        .auth.register({ email: 'founder@example.com', password: 'founder password 1', name: 'F' });
      const someone = cliUser(inviteOnly);
      for (const extra of [[], ['--invitation', 'pmi_not-a-real-one']]) {
        const result = await someone.pm(
          ['auth', 'register', '--email', 'eve@example.com', ...extra, '--password-stdin'],
          { stdin: 'correct horse battery staple' },
        );
        expectFailure(result, 3);
        expect(result.stderr).toContain('invitation');
      }
    } finally {
      await inviteOnly.close();
    }
  });
});
