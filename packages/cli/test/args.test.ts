import { describe, expect, it } from 'vitest';
import { closedPort, noPrompts, runPm } from './helpers.js';

describe('arguments and usage', () => {
  it('prints the version', async () => {
    const result = await runPm(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  });

  it('prints help with examples and exit codes', async () => {
    const result = await runPm(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: pm [options] [command]');
    expect(result.stdout).toContain(
      'Exit codes: 0 ok, 1 error, 2 usage, 3 auth, 4 not found, 5 conflict, 130 interrupted.',
    );
  });

  it.each([
    [['bogus']],
    [['--format', 'xml', 'status']],
    [['org', 'create']],
    [['server', 'start', '--port', 'abc']],
    [['org', 'list', '--limit', '0']],
    [['status', '--nope']],
  ])('exits 2 on usage errors: pm %j', async (args) => {
    const result = await runPm(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: /);
  });

  it('names the missing flag instead of prompting when stdin is not a terminal', async () => {
    const noEmail = await runPm(['auth', 'login'], { prompter: noPrompts });
    expect(noEmail).toMatchObject({
      code: 2,
      stderr: 'error: --email is required when not running interactively\n',
    });
    const noPassword = await runPm(['auth', 'login', '--email', 'a@b.co'], { prompter: noPrompts });
    expect(noPassword).toMatchObject({
      code: 2,
      stderr: 'error: --password-stdin is required when not running interactively\n',
    });
  });

  it('does not prompt under CI even on a terminal', async () => {
    const result = await runPm(['auth', 'register'], {
      tty: true,
      env: { CI: 'true' },
      prompter: noPrompts,
    });
    expect(result).toMatchObject({
      code: 2,
      stderr: 'error: --email is required when not running interactively\n',
    });
  });

  it('exits 3 for auth token when not signed in', async () => {
    const result = await runPm(['auth', 'token']);
    expect(result).toMatchObject({ code: 3, stdout: '' });
    expect(result.stderr).toMatch(/^error: not signed in to http:\/\/127\.0\.0\.1:4680/);
  });

  it('exits 1 with one line when the server is unreachable', async () => {
    const server = `http://127.0.0.1:${await closedPort()}`;
    const result = await runPm(['status', '--server', server]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(`error: cannot reach ${server} (ECONNREFUSED)\n`);
  });
});
