import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TimeEntry, Timer } from '@pmkit/sdk';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliUser, cliUser, tempDir } from './helpers.js';

const BIN = fileURLToPath(new URL('../bin/pm.cjs', import.meta.url));
let server: TestServer;
let ada: CliUser;
const json = <T>(stdout: string) => JSON.parse(stdout) as T;

beforeAll(async () => {
  server = await startTestServer();
  ada = cliUser(server);
  const registered = await ada.pm(
    ['auth', 'register', '--email', 'timer-cli@example.com', '--name', 'Ada', '--password-stdin'],
    { stdin: 'correct horse battery staple' },
  );
  expect(registered.code).toBe(0);
  expect((await ada.pm(['org', 'create', 'Timers', '--switch'])).code).toBe(0);
  expect((await ada.pm(['project', 'create', 'TMR', 'Timers', '--use'])).code).toBe(0);
  expect((await ada.pm(['task', 'create', 'Login form'])).code).toBe(0);
  expect((await ada.pm(['task', 'create', 'Signup form'])).code).toBe(0);
});
afterAll(async () => {
  await server?.close();
});

/** `pm timer status --short` as a shell prompt runs it: the real binary, no server involved. */
const promptLine = () =>
  execFileSync(process.execPath, [BIN, 'timer', 'status', '--short'], {
    env: { ...process.env, PM_CONFIG_DIR: ada.configDir, PM_PROFILE: '' },
    encoding: 'utf8',
  });

describe('pm timer and pm time', () => {
  it('starts on the git branch’s task, shows it in the prompt line, stops into an entry', async () => {
    const repo = tempDir('pm-timer-git-');
    mkdirSync(join(repo, '.git'));
    writeFileSync(join(repo, '.git', 'HEAD'), 'ref: refs/heads/TMR-1-login-form\n');
    const started = await ada.pm(['timer', 'start', '--note', 'Form', '--json'], { cwd: repo });
    expect(started.code, started.stderr).toBe(0);
    expect(started.stderr).toContain('Using TMR-1 from the git branch TMR-1-login-form');
    expect(json<{ timer: Timer }>(started.stdout).timer.task?.key).toBe('TMR-1');
    expect(promptLine()).toBe('TMR-1 0:00\n');
    expect((await ada.pm(['timer', 'status', '--short'])).stdout).toBe('TMR-1 0:00\n');

    const again = await ada.pm(['timer', 'start', 'TMR-2']);
    expect(again.code).toBe(5);
    expect(again.stderr).toMatch(/already running on TMR-1/);
    const switched = await ada.pm(['timer', 'start', 'tmr-2', '--switch']);
    expect(switched.code, switched.stderr).toBe(0);
    expect(switched.stderr).toMatch(/Stopped TMR-1 after 0:00/);
    expect(promptLine()).toBe('TMR-2 0:00\n');

    expect((await ada.pm(['timer', 'pause'])).code).toBe(0);
    expect(promptLine()).toBe('TMR-2 0:00 paused\n');
    expect((await ada.pm(['timer', 'pause'])).code).toBe(5);
    expect((await ada.pm(['timer', 'resume'])).code).toBe(0);
    const status = await ada.pm(['timer', 'status'], { tty: true });
    expect(status.stdout).toMatch(/^TMR-2 Signup form {2}0:00/);

    const stopped = await ada.pm(['timer', 'stop', '--json']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(json<TimeEntry>(stopped.stdout).task?.key).toBe('TMR-2');
    expect(promptLine()).toBe('');
    const none = await ada.pm(['timer', 'stop']);
    expect(none.code).toBe(4);
    expect(none.stderr).toMatch(/No timer is running/);
  });

  it('stops a forgotten timer at a time of day or an offset, and refuses nonsense', async () => {
    expect((await ada.pm(['timer', 'start', 'TMR-1', '--at', '-30m'])).code).toBe(0);
    const stopped = await ada.pm(['timer', 'stop', '--at', '-10m', '--json']);
    expect(stopped.code, stopped.stderr).toBe(0);
    const seconds = json<TimeEntry>(stopped.stdout).durationSeconds;
    expect(seconds).toBeGreaterThanOrEqual(20 * 60 - 5);
    expect(seconds).toBeLessThanOrEqual(20 * 60 + 5);
    const bad = await ada.pm(['timer', 'stop', '--at', 'teatime']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/17:30/);
  });

  it('logs durations as people write them and lists them with a total', async () => {
    const logged = await ada.pm(['time', 'log', 'TMR-1', '1h30m', '--date', 'yesterday', '--json']);
    expect(logged.code, logged.stderr).toBe(0);
    expect(json<TimeEntry>(logged.stdout).durationSeconds).toBe(5400);
    const decimal = await ada.pm([
      'time',
      'log',
      'TMR-2',
      '1.5h',
      '--date',
      '2026-11-02',
      '--json',
    ]);
    expect(json<TimeEntry>(decimal.stdout).durationSeconds).toBe(5400);
    const bad = await ada.pm(['time', 'log', 'TMR-1', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/duration/);
    const listed = await ada.pm(['time', 'list', '--task', 'TMR-2', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(json<TimeEntry[]>(listed.stdout).map((e) => e.task?.key)).toContain('TMR-2');
    const table = await ada.pm(['time', 'list', '--from', '2026-11-02', '--to', '2026-11-02'], {
      tty: true,
    });
    expect(table.stderr).toMatch(/1 entries, 1:30 in all/);
    const id = json<TimeEntry>(decimal.stdout).id;
    const edited = await ada.pm(['time', 'edit', id, '--note', 'Pairing', '--billable', '--json']);
    expect(edited.code, edited.stderr).toBe(0);
    expect(json<TimeEntry>(edited.stdout)).toMatchObject({ note: 'Pairing', billable: true });
    expect((await ada.pm(['time', 'delete', id])).code).toBe(0);
    expect((await ada.pm(['time', 'delete', id])).code).toBe(4);
  });
});
