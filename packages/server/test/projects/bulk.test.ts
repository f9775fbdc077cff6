import type { PmClient, Task } from '@pmkit/sdk';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, failure, signUp } from '../identity/helpers.js';

let server: TestServer;
let owner: Account;
let orgId: string;
let pm: PmClient;
let tasks: Task[];

beforeAll(async () => {
  server = await startTestServer();
  owner = await signUp(server, 'bulk-owner');
  const org = await owner.pm.orgs.create({ name: 'Bulk Org' });
  orgId = org.id;
  pm = server.client({ token: owner.accessToken, org: org.id });
  await pm.projects.create(orgId, { key: 'BLK', name: 'Bulk' });
  await pm.projects.create(orgId, { key: 'ALT', name: 'Other workflow' });
  const altDone = (await pm.projects.statuses.list('ALT')).find((s) => s.name === 'Done')!;
  await pm.projects.statuses.update('ALT', altDone.id, { name: 'Shipped' });
  tasks = [];
  for (let i = 0; i < 20; i++) {
    tasks.push(await pm.tasks.create(i < 15 ? 'BLK' : 'ALT', { title: `T${i}`, labels: ['old'] }));
  }
});
afterAll(() => server.close());

const snapshot = async () =>
  (
    await server.db.query(
      'SELECT id, status_id, priority, labels, version, deleted_at FROM tasks WHERE org_id = $1 ORDER BY id',
      [orgId],
    )
  ).rows;

describe('bulk changes', () => {
  it('moves tasks of two projects to a status by name, each in its own workflow; reports the rest', async () => {
    const keys = tasks.map((t) => t.key);
    const result = await pm.tasks.bulk([...keys, 'BLK-999'], { status: 'done' });
    expect(result.applied).toBe(15);
    expect(result.failed).toBe(6);
    expect(result.results.at(-1)).toEqual({
      task: 'BLK-999',
      ok: false,
      id: null,
      key: null,
      error: { status: 404, detail: 'No task BLK-999' },
    });
    // ALT has no status named Done: its tasks fail alone.
    expect(result.results[15]).toMatchObject({ ok: false, error: { status: 400 } });
    const moved = await pm.tasks.get(keys[0]!);
    expect(moved).toMatchObject({ status: { name: 'Done', category: 'completed' }, version: 2 });
    expect(moved.completedAt).not.toBeNull();
    const shipped = await pm.tasks.bulk(keys.slice(15), { status: 'Shipped' });
    expect(shipped.applied).toBe(5);
    const { rows } = await server.db.query(
      `SELECT count(*)::int AS n FROM events WHERE org_id = $1 AND entity = 'task' AND action = 'updated'`,
      [orgId],
    );
    expect(rows[0]).toEqual({ n: 20 });
  });

  it('refs that look like a uuid or carry a number past int range are tasks not found, not 500s', async () => {
    const refs = ['DEADBEEF-1', 'BLK-9999999999', tasks[0]!.key];
    const result = await pm.tasks.bulk(refs, { labels: { add: ['probe'] } });
    expect(result.results.map((r) => [r.task, r.ok, r.error?.status])).toEqual([
      ['DEADBEEF-1', false, 404],
      ['BLK-9999999999', false, 404],
      [tasks[0]!.key, true, undefined],
    ]);
    await pm.tasks.bulk([tasks[0]!.key], { labels: { remove: ['probe'] } });
  });

  it('adds and removes labels and assignees set-wise', async () => {
    const keys = tasks.slice(0, 3).map((t) => t.key);
    await pm.tasks.bulk(keys, { labels: { add: ['bug', 'ui'], remove: ['old'] } });
    expect((await pm.tasks.get(keys[1]!)).labels).toEqual(['bug', 'ui']);
    await pm.tasks.bulk(keys, { assignees: { add: [owner.userId] } });
    expect((await pm.tasks.get(keys[2]!)).assigneeIds).toEqual([owner.userId]);
    await pm.tasks.bulk(keys, { assignees: { remove: [owner.userId] } });
    expect((await pm.tasks.get(keys[2]!)).assigneeIds).toEqual([]);
    const stranger = await failure(
      pm.tasks.bulk(keys, { assignees: { add: ['00000000-0000-4000-8000-000000000000'] } }),
    );
    expect(stranger.status).toBe(400);
    expect(stranger.problem.errors?.[0]?.path).toBe('/body/change/assignees/add');
  });

  it('refuses 501 tasks and two changes at once, changing nothing', async () => {
    const before = await snapshot();
    const many = Array.from({ length: 501 }, () => tasks[0]!.key);
    const tooMany = await failure(pm.tasks.bulk(many, { priority: 'high' }));
    expect(tooMany.status).toBe(400);
    expect(tooMany.problem.errors?.map((e) => e.path)).toContain('/body/tasks');
    const two = await failure(
      pm.tasks.bulk([tasks[0]!.key], { priority: 'high', delete: true } as never),
    );
    expect(two.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it("another organization's tasks are reported as not found, and stay untouched", async () => {
    const stranger = await signUp(server, 'bulk-stranger');
    const theirs = await stranger.pm.orgs.create({ name: 'Theirs' });
    const spm = server.client({ token: stranger.accessToken, org: theirs.id });
    const result = await spm.tasks.bulk([tasks[4]!.id, tasks[4]!.key], { delete: true });
    expect(result.results.map((r) => r.error?.status)).toEqual([404, 404]);
    expect((await pm.tasks.get(tasks[4]!.key)).deletedAt).toBeNull();

    // The victim's milestone and member, each in the shape that carries it, answer as unknown ids.
    await spm.projects.create(theirs.id, { key: 'BLK', name: 'Same key' });
    const own = await spm.tasks.create('BLK', { title: 'theirs' });
    const milestone = await pm.projects.milestones.create('BLK', { name: 'Victim milestone' });
    const random = '00000000-0000-4000-8000-000000000000';
    const asUnknown = async (change: (id: string) => Parameters<PmClient['tasks']['bulk']>[1]) => {
      const seen = await spm.tasks.bulk([own.key], change(milestone.id)).catch((e: unknown) => e);
      const unknown = await spm.tasks.bulk([own.key], change(random)).catch((e: unknown) => e);
      expect(JSON.stringify(seen).replaceAll(milestone.id, '<id>')).toBe(
        JSON.stringify(unknown).replaceAll(random, '<id>'),
      );
    };
    await asUnknown((id) => ({ milestoneId: id }));
    const member = owner.userId;
    const seen = await failure(spm.tasks.bulk([own.key], { assignees: { add: [member] } }));
    const unknown = await failure(spm.tasks.bulk([own.key], { assignees: { add: [random] } }));
    expect(seen.problem.errors?.[0]?.message.replace(member, '<id>')).toBe(
      unknown.problem.errors?.[0]?.message.replace(random, '<id>'),
    );
  });

  it('deletes and sets priority for many in one go', async () => {
    const keys = tasks.slice(5, 10).map((t) => t.key);
    expect((await pm.tasks.bulk(keys, { priority: 'urgent' })).applied).toBe(5);
    expect((await pm.tasks.get(keys[0]!)).priority).toBe('urgent');
    expect((await pm.tasks.bulk(keys, { delete: true })).applied).toBe(5);
    expect((await failure(pm.tasks.get(keys[0]!))).status).toBe(404);
    const again = await pm.tasks.bulk(keys, { delete: true });
    expect(again.failed).toBe(5);
  });
});
