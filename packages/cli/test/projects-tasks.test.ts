import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Project, Task } from '@pmkit/sdk';
import { assertFreshBuild, startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliUser, cliUser, expectFailure, tempDir, tsvRows } from './helpers.js';

let server: TestServer;
let ada: CliUser;
let grace: CliUser;
const json = <T>(stdout: string) => JSON.parse(stdout) as T;

beforeAll(async () => {
  server = await startTestServer();
  ada = cliUser(server);
  grace = cliUser(server);
  for (const [user, email] of [
    [ada, 'ada@example.com'],
    [grace, 'grace@example.com'],
  ] as const) {
    const registered = await user.pm(
      ['auth', 'register', '--email', email, '--name', email.split('@')[0]!, '--password-stdin'],
      { stdin: 'correct horse battery staple' },
    );
    expect(registered.code).toBe(0);
  }
  expect((await ada.pm(['org', 'create', 'Acme', '--slug', 'acme', '--switch'])).code).toBe(0);
  expect((await grace.pm(['org', 'create', 'Other', '--slug', 'other', '--switch'])).code).toBe(0);
});
afterAll(async () => {
  await server?.close();
});

/** A directory whose git branch is `branch` (only .git/HEAD: what pm reads). */
function repoOn(branch: string): string {
  const dir = tempDir('pm-repo-');
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, '.git', 'HEAD'), `ref: refs/heads/${branch}\n`);
  mkdirSync(join(dir, 'src'));
  return join(dir, 'src');
}

describe('pm project', () => {
  it('create --use, list, show, update, use', async () => {
    const created = await ada.pm([
      'project',
      'create',
      'WEB',
      'Website',
      '--due',
      '2026-12-31',
      '--budget',
      '12000 EUR',
      '--use',
      '--json',
    ]);
    expect(created.code).toBe(0);
    expect(json<Project>(created.stdout)).toMatchObject({
      key: 'WEB',
      budget: { amount: '12000.00', currency: 'EUR' },
    });
    expect(created.stderr).toBe('✓ Created project WEB\n');
    expect(ada.profile().project).toBe('WEB');
    expect((await ada.pm(['project', 'create', 'OPS', 'Operations'])).code).toBe(0);
    const listed = await ada.pm(['project', 'list']);
    expect(tsvRows(listed.stdout).map((row) => row[0])).toEqual(['OPS', 'WEB']);
    const updated = await ada.pm(['project', 'update', '--status', 'on_hold', '--json']);
    expect(json<Project>(updated.stdout)).toMatchObject({ key: 'WEB', status: 'on_hold' });
    const stale = await ada.pm(['project', 'update', 'WEB', '--name', 'x', '--if-match', '1']);
    expectFailure(stale, 5);
    expect((await ada.pm(['project', 'use', 'OPS'])).stderr).toBe(
      '✓ Using project OPS (Operations)\n',
    );
    expect(ada.profile().project).toBe('OPS');
    expectFailure(await ada.pm(['project', 'create', 'WEB', 'Again']), 5);
    expectFailure(await ada.pm(['project', 'show', 'NOPE']), 4);
    expect((await ada.pm(['project', 'use', 'WEB'])).code).toBe(0);
  });

  it('archive makes it read-only (exit 5) and restore undoes it', async () => {
    expect((await ada.pm(['project', 'archive', 'OPS'])).code).toBe(0);
    expectFailure(await ada.pm(['task', 'create', 'x', '--project', 'OPS']), 5);
    expect(tsvRows((await ada.pm(['project', 'list'])).stdout).map((r) => r[0])).toEqual(['WEB']);
    expect((await ada.pm(['project', 'restore', 'OPS'])).code).toBe(0);
    expect((await ada.pm(['task', 'create', 'now fine', '--project', 'OPS'])).code).toBe(0);
  });
});

describe('pm task', () => {
  it('create, list with filters as flags, csv', async () => {
    const first = await ada.pm([
      'task',
      'create',
      'Fix the login page',
      '--priority',
      'high',
      '--label',
      'bug',
      '--assignee',
      'me',
      '--due',
      '2026-11-30',
      '--json',
    ]);
    expect(first.code).toBe(0);
    expect(json<Task>(first.stdout)).toMatchObject({ key: 'WEB-1', priority: 'high' });
    expect(first.stderr).toBe('✓ Created WEB-1\n');
    await ada.pm(['task', 'create', 'Write the docs', '--status', 'started']);
    await ada.pm(['task', 'create', 'Login subtask', '--parent', 'WEB-1', '--label', 'bug']);

    const titles = async (args: string[]) =>
      json<Task[]>((await ada.pm(['task', 'list', ...args, '--json'])).stdout).map((t) => t.key);
    expect(await titles([])).toEqual(['WEB-3', 'WEB-2', 'WEB-1']);
    expect(await titles(['--assignee', 'me'])).toEqual(['WEB-1']);
    expect(await titles(['--status', 'started'])).toEqual(['WEB-2']);
    expect(await titles(['--status', 'In Progress'])).toEqual(['WEB-2']);
    expect(await titles(['--label', 'bug', '--priority', 'high'])).toEqual(['WEB-1']);
    expect(await titles(['--due-before', '2026-12-01'])).toEqual(['WEB-1']);
    expect(await titles(['--parent', 'WEB-1'])).toEqual(['WEB-3']);
    expect((await titles(['--search', 'login'])).sort()).toEqual(['WEB-1', 'WEB-3']);
    expect(await titles(['--project', 'OPS'])).toEqual(['OPS-1']);
    const csv = await ada.pm(['task', 'list', '--format', 'csv', '--label', 'bug']);
    expect(csv.stdout.split('\n')[0]).toBe(
      'Key,Title,Status,Priority,Assignees,Labels,Due,Updated',
    );
    const table = await ada.pm(['task', 'list'], { tty: true });
    expect(table.stdout).toContain('Fix the login page');
  });

  it('move, done, assign; from the git branch when no task is named', async () => {
    const moved = await ada.pm(['task', 'move', 'WEB-2', 'done', '--json']);
    expect(json<Task>(moved.stdout).status.name).toBe('Done');
    const onBranch = repoOn('WEB-1-fix-login');
    const shown = await ada.pm(['task', 'show', '--json'], { cwd: onBranch });
    expect(json<Task>(shown.stdout).key).toBe('WEB-1');
    expect(shown.stderr).toBe('Using WEB-1 from the git branch WEB-1-fix-login\n');
    const started = await ada.pm(['task', 'move', 'In Progress', '--json'], { cwd: onBranch });
    expect(json<Task>(started.stdout).status.name).toBe('In Progress');
    const done = await ada.pm(['task', 'done', '--json'], { cwd: onBranch });
    expect(json<Task>(done.stdout)).toMatchObject({
      key: 'WEB-1',
      status: { category: 'completed' },
    });
    expect(json<Task>(done.stdout).completedAt).not.toBeNull();
    expectFailure(await ada.pm(['task', 'done'], { cwd: repoOn('main') }), 2);

    const unassigned = await ada.pm(['task', 'assign', 'WEB-1', '--remove', 'me', '--json']);
    expect(json<Task>(unassigned.stdout).assigneeIds).toEqual([]);
    const assigned = await ada.pm([
      'task',
      'assign',
      'WEB-1',
      '--add',
      'ada@example.com',
      '--json',
    ]);
    expect(json<Task>(assigned.stdout).assigneeIds).toHaveLength(1);
    expectFailure(await ada.pm(['task', 'assign', 'WEB-1', '--add', 'grace@example.com']), 4);
    const updated = await ada.pm(['task', 'update', 'WEB-3', '--title', 'Renamed', '--json']);
    expect(json<Task>(updated.stdout).title).toBe('Renamed');
  });

  it('delete; a key of another organization is not found (exit 4)', async () => {
    expect((await ada.pm(['task', 'delete', 'WEB-3'])).stderr).toBe('✓ Deleted WEB-3\n');
    expectFailure(await ada.pm(['task', 'show', 'WEB-3']), 4);
    expectFailure(await grace.pm(['task', 'show', 'WEB-1']), 4);
    expectFailure(await grace.pm(['task', 'list', '--project', 'WEB']), 4);
  });

  it('a bad flag value names the flag', async () => {
    const result = await ada.pm([
      'task',
      'create',
      'x',
      '--due',
      '2026-01-02',
      '--start',
      '2026-02-01',
    ]);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toContain('--due: must not be before startDate');
  });
});

describe('the built pm', () => {
  it('pm task list --json in a child process', async () => {
    const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
    assertFreshBuild(
      here('../dist/pm.js'),
      [here('../src'), here('../../sdk/src')],
      'npm run build -w @pmkit/sdk -w @pmkit/cli',
    );
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [here('../bin/pm.cjs'), 'task', 'list', '--json', '--label', 'bug'],
      {
        env: {
          PATH: process.env.PATH,
          PM_CONFIG_DIR: ada.configDir,
          PM_SERVER: server.url,
        },
      },
    );
    expect(JSON.parse(stdout).map((t: Task) => t.key)).toEqual(['WEB-1']);
  });
});

describe('the default project', () => {
  it('PM_PROJECT overrides the profile; without either, exit 2 naming the flag', async () => {
    const listed = await ada.pm(['task', 'list', '--json'], { env: { PM_PROJECT: 'OPS' } });
    expect(JSON.parse(listed.stdout).map((t: Task) => t.key)).toEqual(['OPS-1']);
    const fresh = cliUser(server);
    const result = await fresh.pm(['task', 'list'], { env: { PM_TOKEN: 'pmk_unused' } });
    expectFailure(result, 2);
    expect(result.stderr).toContain('--project');
  });
});
