import type { CriticalPath, Task, TaskActivity } from '@pmkit/sdk';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliUser, cliUserWithProject, tsvRows } from './helpers.js';

let server: TestServer;
let ada: CliUser;
const json = <T>(stdout: string) => JSON.parse(stdout) as T;

beforeAll(async () => {
  server = await startTestServer();
  ada = await cliUserWithProject(server, {
    email: 'links@example.com',
    name: 'Links',
    org: ['Links'],
    project: ['LNK', 'Links'],
  });
});
afterAll(async () => {
  await server?.close();
});

async function task(title: string, ...flags: string[]): Promise<Task> {
  const created = await ada.pm(['task', 'create', title, '--json', ...flags]);
  expect(created.code, created.stderr).toBe(0);
  return json<Task>(created.stdout);
}

describe('pm task link, unlink, deps, tree, activity and pm project critical-path', () => {
  it('links, refuses a cycle with exit 5 naming it, reads the critical path, draws the tree', async () => {
    const plan = await task('Plan', '--estimate', '30');
    const build = await task('Build', '--estimate', '120', '--parent', 'LNK-1');
    const ship = await task('Ship', '--estimate', '15');
    expect((await ada.pm(['task', 'link', plan.key, '--blocks', build.key])).code).toBe(0);
    const linked = await ada.pm(['task', 'link', ship.key, '--blocked-by', build.key, '--json']);
    expect(linked.code, linked.stderr).toBe(0);
    expect(json<{ key: string; relation: string }[]>(linked.stdout)).toEqual([
      expect.objectContaining({ key: build.key, relation: 'blocked by' }),
    ]);

    const cycle = await ada.pm(['task', 'link', ship.key, '--blocks', plan.key]);
    expect(cycle.code).toBe(5);
    expect(cycle.stderr).toContain(`${ship.key} → ${plan.key} → ${build.key} → ${ship.key}`);

    const deps = await ada.pm(['task', 'deps', build.key, '--json']);
    expect(json<unknown[]>(deps.stdout)).toHaveLength(2);

    const path = await ada.pm(['project', 'critical-path', '--json']);
    expect(json<CriticalPath>(path.stdout)).toMatchObject({
      tasks: [{ key: plan.key }, { key: build.key }, { key: ship.key }],
      totalMinutes: 165,
    });
    const table = await ada.pm(['project', 'critical-path', 'LNK']);
    expect(table.stderr).toContain('Total 2:45 (165 min)');

    const tree = await ada.pm(['task', 'tree']);
    expect(tree.stdout).toBe(
      `${plan.key} [Todo] Plan\n└── ${build.key} [Todo] Build\n${ship.key} [Todo] Ship\n`,
    );
    const nested = json<{ key: string; children: { key: string }[] }>(
      (await ada.pm(['task', 'tree', plan.key, '--json'])).stdout,
    );
    expect(nested).toMatchObject({ key: plan.key, children: [{ key: build.key, children: [] }] });

    expect((await ada.pm(['task', 'unlink', plan.key, build.key])).code).toBe(0);
    const activity = await ada.pm(['task', 'activity', build.key, '--json']);
    expect(json<TaskActivity[]>(activity.stdout).map((a) => a.action)).toEqual([
      'unlinked',
      'linked',
      'linked',
      'created',
    ]);
    const again = await ada.pm(['task', 'unlink', plan.key, build.key]);
    expect(again.code).toBe(4);
    const neither = await ada.pm(['task', 'link', plan.key]);
    expect(neither.code).toBe(2);
  });

  it('pm task bulk changes many, reads keys from stdin, exits 1 naming each failure', async () => {
    const a = await task('Bulk a');
    const b = await task('Bulk b');
    const moved = await ada.pm(['task', 'bulk', '-', '--status', 'In Progress', '--json'], {
      stdin: `Fixes ${a.key}\nsee also ${b.key.toLowerCase()} and LNK-999\n`,
    });
    expect(moved.code).toBe(1);
    expect(moved.stderr).toContain('LNK-999: No task LNK-999');
    expect(json<{ task: string; ok: boolean }[]>(moved.stdout)).toEqual([
      expect.objectContaining({ task: a.key, ok: true }),
      expect.objectContaining({ task: b.key, ok: true }),
      expect.objectContaining({ task: 'LNK-999', ok: false }),
    ]);
    const shown = json<Task>((await ada.pm(['task', 'show', b.key, '--json'])).stdout);
    expect(shown.status.name).toBe('In Progress');
    const labelled = await ada.pm(['task', 'bulk', a.key, b.key, '--add-label', 'release']);
    expect(labelled.code).toBe(0);
    const two = await ada.pm(['task', 'bulk', a.key, '--priority', 'high', '--delete']);
    expect(two.code).toBe(2);
    const none = await ada.pm(['task', 'bulk', '-', '--delete'], { stdin: 'no keys here' });
    expect(none.code).toBe(0);
  });

  it('pm task bulk --project moves tasks with their subtasks, saying the new keys', async () => {
    expect((await ada.pm(['project', 'create', 'OPS', 'Operations'])).code).toBe(0);
    const parent = await task('Move me');
    const sub = await task('And my subtask', '--parent', parent.key);
    const alone = await task('Alone');
    const moved = await ada.pm(['task', 'bulk', parent.key, alone.key, '--project', 'ops']);
    expect(moved.code, moved.stderr).toBe(0);
    expect(tsvRows(moved.stdout).map((row) => row.slice(0, 2))).toEqual([
      [parent.key, 'moved to OPS-1'],
      [alone.key, 'moved to OPS-3'],
    ]);
    const shown = json<Task>((await ada.pm(['task', 'show', 'OPS-2', '--json'])).stdout);
    expect(shown).toMatchObject({ id: sub.id, parentId: parent.id });
    expect((await ada.pm(['task', 'show', parent.key])).code).toBe(4);
  });
});
