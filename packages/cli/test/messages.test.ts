// Messages a person can act on: fields named as flags, exit codes that say what went wrong, hints
// that help, prompts that explain themselves; against a real server.
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prompter } from '../src/prompter.js';
import { type CliUser, cliUser, expectFailure, runPm } from './helpers.js';

const PASSWORD = 'correct horse battery staple';
let server: TestServer;
let ada: CliUser;

beforeAll(async () => {
  server = await startTestServer();
  ada = cliUser(server);
  const registered = await ada.pm(
    ['auth', 'register', '--email', 'ada@example.com', '--name', 'Ada', '--password-stdin'],
    { stdin: PASSWORD },
  );
  expect(registered.code).toBe(0);
  expect((await ada.pm(['org', 'create', 'Acme', '--slug', 'acme', '--switch'])).code).toBe(0);
});
afterAll(async () => {
  await server?.close();
});

/** Answers prompts from a script, and records what was asked. */
function scriptedPrompter(answers: string[]): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const next = async (message: string) => {
    asked.push(message);
    const answer = answers.shift();
    if (answer === undefined) throw new Error(`unexpected prompt: ${message}`);
    return answer;
  };
  return {
    asked,
    input: (message, options) => next(message).then((a) => a || options?.default || ''),
    password: next,
    confirm: async () => true,
  };
}

describe('a 400 is a usage error naming flags and arguments', () => {
  it.each([
    [['org', 'create', ''], '  <name>: must not be empty\n'],
    [['org', 'create', 'Beta', '--slug', 'Not A Slug!'], '  --slug: '],
    [['apikey', 'create', '--name', '', '--scope', 'orgs:read'], '  --name: must not be empty\n'],
    [['org', 'invite', 'not-an-address'], '  <email>: must match format "email"\n'],
  ])('pm %j exits 2', async (args, field) => {
    const result = await ada.pm(args);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toMatch(/^error: /);
    expect(result.stderr).toContain(field);
    expect(result.stderr).not.toContain('/body/');
  });

  it('auth register names --email, and the password by where it came from', async () => {
    const result = await runPm(
      ['auth', 'register', '--email', 'nope', '--password-stdin', '--server', server.url],
      { stdin: 'short', fetch: server.fetch },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('  --email: must match format "email"\n');
    expect(result.stderr).toContain(
      '  the password (typed, or from --password-stdin): must be at least 10 characters long\n',
    );
  });
});

describe('exit codes and hints', () => {
  it('a wrong password is exit 3 and does not suggest the command just run', async () => {
    const result = await cliUser(server).pm(
      ['auth', 'login', '--email', 'ada@example.com', '--password-stdin'],
      { stdin: 'not the password at all' },
    );
    expectFailure(result, 3);
    expect(result.stderr).toBe('error: Wrong e-mail address or password\n');
  });

  it('an expired or bad token still points at pm auth login', async () => {
    const result = await cliUser(server).pm(['org', 'list'], { env: { PM_TOKEN: 'pmk_bogus' } });
    expectFailure(result, 3);
    expect(result.stderr).toContain('run `pm auth login`');
  });

  it.each([
    [['auth', 'verify', 'bogus-token']],
    [['auth', 'reset', '--token', 'bogus-token', '--password-stdin']],
    [['invite', 'decline', 'pmi_bogus']],
  ])('an unknown or used token is not found (4), not a conflict: pm %j', async (args) => {
    const result = await ada.pm(args, { stdin: 'a brand new password' });
    expectFailure(result, 4);
  });

  it('a wrong current password is an authentication failure (3)', async () => {
    const result = await ada.pm(['auth', 'password', '--password-stdin'], {
      stdin: 'not my password\nanother new password\n',
    });
    expectFailure(result, 3);
  });

  it('a taken address points at signing in instead (exit 5)', async () => {
    const result = await cliUser(server).pm(
      ['auth', 'register', '--email', 'ada@example.com', '--password-stdin'],
      { stdin: PASSWORD },
    );
    expectFailure(result, 5);
    expect(result.stderr).toContain('`pm auth login`');
  });

  it('an unreachable server says how to start one', async () => {
    const result = await runPm(['org', 'list', '--server', 'http://127.0.0.1:9'], {
      env: { PM_TOKEN: 'pmk_x' },
    });
    expectFailure(result, 1);
    expect(result.stderr).toContain('pm server start');
  });
});

describe('prompts', () => {
  it('Ctrl-C at a prompt exits 130 without an internal message', async () => {
    // The real @inquirer prompt on a terminal-like stdin that receives Ctrl-C.
    const result = await runPm(['auth', 'login', '--server', server.url], {
      tty: true,
      stdin: '\x03',
      fetch: server.fetch,
    });
    expect(result.code).toBe(130);
    expect(result.stderr).not.toMatch(/error|ExitPromptError|force closed|SIGINT/i);
  });

  it('interactive register states the password rule first and asks again on a refusal', async () => {
    const prompter = scriptedPrompter(['eve@example.com', 'Eve', 'too short', PASSWORD]);
    const result = await runPm(['auth', 'register', '--server', server.url], {
      tty: true,
      prompter,
      fetch: server.fetch,
    });
    expect(result.code).toBe(0);
    expect(prompter.asked).toEqual(['Email', 'Name', 'Password', 'Password']);
    const rule = 'Choose a password of at least 10 characters.';
    expect(result.stderr.indexOf(rule)).toBe(0);
    expect(result.stderr).toContain(
      `That password was refused: it must be at least 10 characters long. ${rule}\n`,
    );
    expect(result.stderr).toContain('Registered and signed in');
  });
});

describe('auth register --invitation', () => {
  it('takes the address from the invitation: the mailed script line works as written', async () => {
    const mark = server.mail.mark();
    expect((await ada.pm(['org', 'invite', 'grace@example.com', '--role', 'admin'])).code).toBe(0);
    const mail = await server.mail.next('grace@example.com', (m) => /invited you/.test(m.subject), {
      after: mark,
    });
    const token = /^Token: (pmi_\S+)$/m.exec(mail.text)?.[1] ?? '';
    const line = /^ +(printf .*\| pm auth register --invitation .*)$/m.exec(mail.text)?.[1];
    expect(line).toBe(
      `printf '%s\\n' "$PASSWORD" | pm auth register --invitation ${token} --password-stdin`,
    );

    const grace = cliUser(server);
    const registered = await grace.pm(
      ['auth', 'register', '--invitation', token, '--password-stdin'],
      {
        stdin: `${PASSWORD}\n`,
      },
    );
    expect(registered).toMatchObject({ code: 0, stdout: '' });
    expect(registered.stderr).toContain('Invitation to Acme as admin for grace@example.com');
    expect(registered.stderr).toContain('Registered and signed in');
    expect(grace.profile().user?.email).toBe('grace@example.com');
    expect((await grace.pm(['invite', 'accept', token])).code).toBe(0);

    const again = await cliUser(server).pm(
      ['auth', 'register', '--invitation', token, '--password-stdin'],
      { stdin: PASSWORD },
    );
    expectFailure(again, 4);
    expect(again.stderr).toContain('--invitation: this invitation is unknown, used or expired');
  });
});

describe('pm audit on a terminal', () => {
  it('names actors by e-mail and fits an 80-column terminal', async () => {
    const result = await ada.pm(['audit', '--limit', '5'], { tty: true, columns: 80 });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME +ACTION +ACTOR +ENTITY +IP +ID$/);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines.slice(1).some((line) => line.includes('ada@example.com'))).toBe(true);
    expect(result.stdout).not.toMatch(/user:[0-9a-f-]{36}/);
  });
});
