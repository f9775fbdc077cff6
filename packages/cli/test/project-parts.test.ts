import type { Milestone, Project, ProjectField, ProjectTemplate, Task } from '@pmkit/sdk';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliUser, cliUserWithProject, expectFailure, tsvRows } from './helpers.js';

let server: TestServer;
let ada: CliUser;
const json = <T>(stdout: string) => JSON.parse(stdout) as T;

beforeAll(async () => {
  server = await startTestServer();
  ada = await cliUserWithProject(server, {
    email: 'ada@example.com',
    name: 'ada',
    org: ['Acme', '--slug', 'acme'],
    project: ['WEB', 'Website', '--start', '2026-01-05'],
  });
});
afterAll(async () => {
  await server?.close();
});

describe('pm project field', () => {
  it('add, list, update, remove; task values by name with --field', async () => {
    const added = await ada.pm([
      'project',
      'field',
      'add',
      'Severity',
      'select',
      '--option',
      'low',
      '--option',
      'high',
      '--default',
      'low',
      '--json',
    ]);
    expect(added.code).toBe(0);
    const severity = json<ProjectField>(added.stdout);
    expect(severity).toMatchObject({ name: 'Severity', options: ['low', 'high'], default: 'low' });
    expect((await ada.pm(['project', 'field', 'add', 'Points', 'number'])).code).toBe(0);
    expect((await ada.pm(['project', 'field', 'add', 'Reviewer', 'user'])).code).toBe(0);
    const listed = await ada.pm(['project', 'field', 'list']);
    expect(tsvRows(listed.stdout).map((r) => r[0])).toEqual(['Severity', 'Points', 'Reviewer']);

    const created = await ada.pm([
      'task',
      'create',
      'Crash',
      '--field',
      'severity=high',
      '--field',
      'Points=3',
      '--field',
      'Reviewer=me',
      '--json',
    ]);
    expect(created.code).toBe(0);
    const task = json<Task>(created.stdout);
    expect(task.fields[severity.id]).toBe('high');
    expect(Object.values(task.fields)).toContain(3);

    const bad = await ada.pm(['task', 'update', task.key, '--field', 'Severity=urgent']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'error: Invalid custom field value: Severity\n  --field: Severity: "urgent" is not one of low, high\n',
    );
    expectFailure(await ada.pm(['task', 'update', task.key, '--field', 'Points=many']), 2);
    await ada.pm(['task', 'create', 'Typo']);
    const filtered = await ada.pm(['task', 'list', '--field', 'Severity=high', '--json']);
    expect(json<Task[]>(filtered.stdout).map((x) => x.key)).toEqual([task.key]);
    expectFailure(await ada.pm(['task', 'list', '--field', 'Colour=red']), 2);

    const updated = await ada.pm([
      'project',
      'field',
      'update',
      'severity',
      '--required',
      '--json',
    ]);
    expect(json<ProjectField>(updated.stdout).required).toBe(true);
    expect((await ada.pm(['project', 'field', 'remove', 'Points'])).stderr).toBe(
      '✓ Removed field Points\n',
    );
    const after = await ada.pm(['task', 'show', task.key, '--json']);
    expect(Object.keys(json<Task>(after.stdout).fields)).toHaveLength(2);
  });
});

describe('pm project milestone', () => {
  it('add, list with progress, task --milestone by name, update, remove', async () => {
    const added = await ada.pm(['project', 'milestone', 'add', 'Beta', '--due', '2026-02-01']);
    expect(added.code).toBe(0);
    const t = await ada.pm(['task', 'create', 'Ship', '--milestone', 'beta', '--json']);
    expect(t.code).toBe(0);
    const task = json<Task>(t.stdout);
    expect((await ada.pm(['task', 'done', task.key])).code).toBe(0);
    await ada.pm(['task', 'create', 'Polish', '--milestone', 'Beta', '--estimate', '30']);
    const listed = await ada.pm(['project', 'milestone', 'list', '--json']);
    const [beta] = json<Milestone[]>(listed.stdout);
    expect(beta?.progress).toEqual({
      done: 1,
      total: 2,
      doneEstimateMinutes: 0,
      totalEstimateMinutes: 30,
    });
    const of = await ada.pm(['task', 'list', '--milestone', 'Beta', '--json']);
    expect(
      json<Task[]>(of.stdout)
        .map((x) => x.title)
        .sort(),
    ).toEqual(['Polish', 'Ship']);
    const table = await ada.pm(['project', 'milestone', 'list']);
    expect(tsvRows(table.stdout)[0]?.slice(0, 3)).toEqual(['Beta', '2026-02-01', '1/2']);
    expectFailure(await ada.pm(['task', 'create', 'x', '--milestone', 'Gamma']), 2);
    const moved = await ada.pm([
      'project',
      'milestone',
      'update',
      'Beta',
      '--due',
      '2026-02-15',
      '--json',
    ]);
    expect(json<Milestone>(moved.stdout).dueDate).toBe('2026-02-15');
    expect((await ada.pm(['project', 'milestone', 'remove', 'Beta'])).code).toBe(0);
    const shown = await ada.pm(['task', 'show', task.key, '--json']);
    expect(json<Task>(shown.stdout).milestoneId).toBeNull();
  });
});

describe('pm project template', () => {
  it('save, list, show, create --template --start, delete', async () => {
    await ada.pm(['project', 'milestone', 'add', 'GA', '--due', '2026-03-02']);
    await ada.pm(['task', 'create', 'Dated', '--due', '2026-01-12', '--field', 'Severity=low']);
    const saved = await ada.pm([
      'project',
      'template',
      'save',
      'WEB',
      '--name',
      'Website',
      '--json',
    ]);
    expect(saved.code).toBe(0);
    const template = json<ProjectTemplate>(saved.stdout);
    expect(template.counts.milestones).toBe(1);
    const listed = await ada.pm(['project', 'template', 'list']);
    expect(tsvRows(listed.stdout).map((r) => r[0])).toEqual(['Website']);
    expect((await ada.pm(['project', 'template', 'show', 'website', '--json'])).code).toBe(0);

    const made = await ada.pm([
      'project',
      'create',
      'SHOP',
      'Shop',
      '--template',
      'Website',
      '--start',
      '2027-01-04',
      '--json',
    ]);
    expect(made.code).toBe(0);
    expect(json<Project>(made.stdout).startDate).toBe('2027-01-04');
    const tasks = json<Task[]>(
      (await ada.pm(['task', 'list', '--project', 'SHOP', '--sort', 'created', '--json'])).stdout,
    );
    expect(tasks.map((t) => t.key)).toEqual(
      Array.from({ length: template.counts.tasks }, (_, i) => `SHOP-${i + 1}`),
    );
    expect(tasks.find((t) => t.title === 'Dated')?.dueDate).toBe('2027-01-11');
    const ms = json<Milestone[]>(
      (await ada.pm(['project', 'milestone', 'list', '--project', 'SHOP', '--json'])).stdout,
    );
    expect(ms.map((m) => [m.name, m.dueDate])).toEqual([['GA', '2027-03-01']]);

    expectFailure(await ada.pm(['project', 'create', 'NOPE', 'x', '--template', 'Nope']), 2);
    expect((await ada.pm(['project', 'template', 'delete', 'Website'])).code).toBe(0);
    expect(tsvRows((await ada.pm(['project', 'template', 'list'])).stdout)).toEqual([]);
  });
});
