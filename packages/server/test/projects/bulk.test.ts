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
    // One task named three ways is one task, reported under each name.
    const { id, key, version } = await pm.tasks.get(tasks[1]!.key);
    const thrice = await pm.tasks.bulk([key, id, id.toUpperCase()], { priority: 'low' });
    expect(thrice.results).toEqual(
      [key, id, id.toUpperCase()].map((task) => ({ task, ok: true, id, key })),
    );
    expect((await pm.tasks.get(key)).version).toBe(version + 1);
    await pm.tasks.bulk([key], { priority: 'none' });
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
    const victimProject = (await pm.projects.get('BLK')).id;
    const moveSeen = await failure(spm.tasks.bulk([own.key], { project: victimProject }));
    const moveUnknown = await failure(spm.tasks.bulk([own.key], { project: random }));
    const shape = ({ requestId: _, ...problem }: typeof moveSeen.problem, id: string) =>
      JSON.stringify(problem).replaceAll(id, '<id>');
    expect(shape(moveSeen.problem, victimProject)).toBe(shape(moveUnknown.problem, random));
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

describe('bulk move to another project', () => {
  it('renumbers from the target, maps statuses by category, keeps what fits; subtasks go along', async () => {
    await pm.projects.create(orgId, { key: 'SRC', name: 'Source' });
    await pm.projects.create(orgId, { key: 'DST', name: 'Destination' });
    const dstStatuses = await pm.projects.statuses.list('DST');
    const byName = (name: string) => dstStatuses.find((s) => s.name === name)!;
    // DST has no backlog; its first started status is Doing, ahead of Review.
    await pm.projects.statuses.delete('DST', byName('Backlog').id);
    await pm.projects.statuses.update('DST', byName('In Progress').id, { name: 'Doing' });
    await pm.projects.statuses.create('DST', { name: 'Review', category: 'started' });
    const src = await pm.projects.statuses.list('SRC');
    const srcStatus = (name: string) => src.find((s) => s.name === name)!.id;
    const field = (
      project: string,
      body: Parameters<PmClient['projects']['fields']['create']>[1],
    ) => pm.projects.fields.create(project, body);
    await field('SRC', { name: 'Severity', type: 'select', options: ['low', 'high'] });
    await field('SRC', { name: 'Size', type: 'number' });
    await field('SRC', { name: 'Secret', type: 'text' });
    const severity = await field('DST', {
      name: 'severity',
      type: 'select',
      options: ['high', 'critical'],
    });
    await field('DST', { name: 'Size', type: 'text' });
    const team = await field('DST', { name: 'Team', type: 'text', default: 'core' });
    const milestone = await pm.projects.milestones.create('SRC', { name: 'M1' });

    const there = await pm.tasks.create('DST', { title: 'already there' });
    const a = await pm.tasks.create('SRC', {
      title: 'a',
      statusId: srcStatus('Backlog'),
      fields: { Severity: 'low', Size: 3, Secret: 'x' },
    });
    const b = await pm.tasks.create('SRC', {
      title: 'b',
      statusId: srcStatus('In Progress'),
      milestoneId: milestone.id,
      fields: { Severity: 'high' },
    });
    const b1 = await pm.tasks.create('SRC', { title: 'b1', parentId: b.id });
    const b2 = await pm.tasks.create('SRC', { title: 'b2', parentId: b1.id });
    await pm.tasks.delete(b2.key);
    const parent = await pm.tasks.create('SRC', { title: 'stays' });
    const child = await pm.tasks.create('SRC', { title: 'c', parentId: parent.id });
    const d = await pm.tasks.create('SRC', { title: 'd', statusId: srcStatus('Done') });
    const blocker = await pm.tasks.create('SRC', { title: 'blocker' });
    await pm.tasks.dependencies.add(b.key, { blockedBy: blocker.key });
    // Resolved once by key before the move: a cached key would still answer afterwards.
    expect((await pm.tasks.get(a.key)).id).toBe(a.id);

    const result = await pm.tasks.bulk([a.key, b.key, child.key, d.id, there.key, b1.key], {
      project: 'DST',
    });
    expect(result.results.map((r) => [r.task, r.ok, r.key, r.error?.status])).toEqual([
      [a.key, true, 'DST-2', undefined],
      [b.key, true, 'DST-3', undefined],
      [child.key, false, child.key, 409],
      [d.id, true, 'DST-6', undefined],
      [there.key, true, 'DST-1', undefined],
      [b1.key, true, 'DST-4', undefined],
    ]);
    expect(result).toMatchObject({ applied: 5, failed: 1 });

    for (const old of [a.key, b.key, b1.key, d.key]) {
      expect((await failure(pm.tasks.get(old))).status).toBe(404);
    }
    const movedA = await pm.tasks.get('DST-2');
    expect(movedA).toMatchObject({
      id: a.id,
      status: { name: 'Todo' },
      fields: { [team.id]: 'core' },
    });
    const movedB = await pm.tasks.get('DST-3');
    expect(movedB).toMatchObject({
      id: b.id,
      projectId: there.projectId,
      status: { name: 'Doing' },
      milestoneId: null,
      fields: { [severity.id]: 'high', [team.id]: 'core' },
      version: b.version + 1,
    });
    expect(Object.keys(movedB.fields)).toHaveLength(2);
    expect(await pm.tasks.get('DST-4')).toMatchObject({ id: b1.id, parentId: b.id });
    const { rows } = await server.db.query<{ key: string }>(
      `SELECT p.key || '-' || t.number AS key FROM tasks t JOIN projects p ON p.id = t.project_id
       WHERE t.id = $1`,
      [b2.id],
    );
    expect(rows[0]!.key).toBe('DST-5');
    const movedD = await pm.tasks.get('DST-6');
    expect(movedD).toMatchObject({ status: { name: 'Done' }, completedAt: d.completedAt });
    expect(await pm.tasks.get(child.key)).toMatchObject({ projectId: a.projectId, version: 1 });
    expect((await pm.tasks.dependencies.list('DST-3')).blockedBy.map((t) => t.key)).toEqual([
      blocker.key,
    ]);

    const [moved] = await pm.tasks.activity('DST-3').toArray();
    expect(moved).toMatchObject({
      action: 'moved',
      changes: {
        key: { old: b.key, new: 'DST-3' },
        projectId: { old: b.projectId, new: there.projectId },
        status: { old: 'In Progress', new: 'Doing' },
        milestoneId: { old: milestone.id, new: null },
      },
    });
    const { rows: events } = await server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE org_id = $1 AND action = 'moved'`,
      [orgId],
    );
    expect(events[0]!.n).toBe(5);

    // The sequence moved on; moved tasks went last, in their order.
    expect((await pm.tasks.create('DST', { title: 'next' })).key).toBe('DST-7');
    const order = await pm.tasks.list('DST', { sort: 'position' }).toArray();
    expect(order.map((t) => t.key)).toEqual(['DST-1', 'DST-2', 'DST-3', 'DST-4', 'DST-6', 'DST-7']);
  });

  it('refuses a project that is not one of the organization, or is archived, changing nothing', async () => {
    const before = await snapshot();
    const keys = [tasks[0]!.key];
    const unknown = await failure(pm.tasks.bulk(keys, { project: 'NOPE' }));
    expect(unknown.status).toBe(400);
    expect(unknown.problem.errors?.[0]?.path).toBe('/body/change/project');
    const random = await failure(
      pm.tasks.bulk(keys, { project: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(random.status).toBe(400);
    await pm.projects.create(orgId, { key: 'OLD', name: 'Archived' });
    await pm.projects.archive('OLD');
    expect((await failure(pm.tasks.bulk(keys, { project: 'OLD' }))).status).toBe(409);
    expect(await snapshot()).toEqual(before);
  });
});
