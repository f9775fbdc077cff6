import type { PmClient } from '@pmkit/sdk';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { criticalPath } from '../../src/modules/tasks/critical-path.js';
import { type Account, failure, signUp } from '../identity/helpers.js';

let server: TestServer;
let owner: Account;
let orgId: string;
let pm: PmClient;

beforeAll(async () => {
  server = await startTestServer();
  owner = await signUp(server, 'deps-owner');
  const org = await owner.pm.orgs.create({ name: 'Deps Org' });
  orgId = org.id;
  pm = server.client({ token: owner.accessToken, org: org.id });
  await pm.projects.create(orgId, { key: 'DEP', name: 'Dependencies' });
  await pm.projects.create(orgId, { key: 'OPS', name: 'Operations' });
});
afterAll(() => server.close());

const linkCount = async () =>
  Number(
    (
      await server.db.query<{ n: string }>(
        'SELECT count(*) AS n FROM task_dependencies WHERE org_id = $1',
        [orgId],
      )
    ).rows[0]!.n,
  );

describe('critical path (the algorithm)', () => {
  it('follows the heaviest chain, not the longest in links', () => {
    const nodes = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({
      id,
      weight: [10, 5, 100, 5, 1][i]!,
    }));
    const edges = [
      { blocker: 'a', blocked: 'b' },
      { blocker: 'b', blocked: 'd' },
      { blocker: 'd', blocked: 'e' },
      { blocker: 'c', blocked: 'e' },
    ];
    expect(criticalPath(nodes, edges)).toEqual({ ids: ['c', 'e'], total: 101 });
    expect(criticalPath(nodes.slice(0, 2), edges)).toEqual({ ids: ['a', 'b'], total: 15 });
    expect(criticalPath([], [])).toEqual({ ids: [], total: 0 });
  });

  it('refuses a graph with a cycle', () => {
    const nodes = [
      { id: 'a', weight: 1 },
      { id: 'b', weight: 1 },
    ];
    expect(() =>
      criticalPath(nodes, [
        { blocker: 'a', blocked: 'b' },
        { blocker: 'b', blocked: 'a' },
      ]),
    ).toThrow(/cycle/);
  });
});

describe('dependencies', () => {
  it('links tasks both ways, across projects, and lists them from either side', async () => {
    const a = await pm.tasks.create('DEP', { title: 'Design', estimateMinutes: 60 });
    const b = await pm.tasks.create('DEP', { title: 'Build', estimateMinutes: 120 });
    const ops = await pm.tasks.create('OPS', { title: 'Deploy' });
    const links = await pm.tasks.dependencies.add(a.key, { blocks: b.key });
    expect(links).toEqual({
      blocks: [
        { id: b.id, key: b.key, title: 'Build', statusCategory: 'unstarted', estimateMinutes: 120 },
      ],
      blockedBy: [],
    });
    await pm.tasks.dependencies.add(ops.id, { blockedBy: b.id });
    const ofB = await pm.tasks.dependencies.list(b.key);
    expect(ofB.blockedBy.map((t) => t.key)).toEqual([a.key]);
    expect(ofB.blocks.map((t) => t.key)).toEqual([ops.key]);
    // Adding it again changes nothing.
    const before = await linkCount();
    await pm.tasks.dependencies.add(b.key, { blockedBy: a.key });
    expect(await linkCount()).toBe(before);
  });

  it('refuses a link that would close a cycle, naming the cycle, and writes nothing', async () => {
    const [x, y, z] = [
      await pm.tasks.create('DEP', { title: 'x' }),
      await pm.tasks.create('DEP', { title: 'y' }),
      await pm.tasks.create('DEP', { title: 'z' }),
    ];
    await pm.tasks.dependencies.add(x.key, { blocks: y.key });
    await pm.tasks.dependencies.add(y.key, { blocks: z.key });
    const before = await linkCount();
    const error = await failure(pm.tasks.dependencies.add(z.key, { blocks: x.key }));
    expect(error.status).toBe(409);
    expect(error.problem.type).toBe('https://pmkit.dev/problems/dependency-cycle');
    expect(error.problem.cycle).toEqual([z.key, x.key, y.key, z.key]);
    expect(await linkCount()).toBe(before);
    const self = await failure(pm.tasks.dependencies.add(x.key, { blockedBy: x.id }));
    expect(self.status).toBe(400);
    expect(self.problem.errors?.[0]?.path).toBe('/body/blockedBy');
  });

  it('two links that close a cycle together cannot both land (the organization lock)', async () => {
    const p = await pm.tasks.create('DEP', { title: 'p' });
    const q = await pm.tasks.create('DEP', { title: 'q' });
    for (let round = 0; round < 5; round++) {
      const results = await Promise.allSettled([
        pm.tasks.dependencies.add(p.key, { blocks: q.key }),
        pm.tasks.dependencies.add(q.key, { blocks: p.key }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const { rows } = await server.db.query(
        `SELECT 1 FROM task_dependencies WHERE (blocker_id, blocked_id) IN (($1::uuid, $2::uuid), ($2::uuid, $1::uuid))`,
        [p.id, q.id],
      );
      expect(rows).toHaveLength(1);
      await pm.tasks.dependencies.remove(p.key, q.key);
    }
  });

  it('unlinks either way round; unlinking what is not linked is 404', async () => {
    const m = await pm.tasks.create('DEP', { title: 'm' });
    const n = await pm.tasks.create('DEP', { title: 'n' });
    await pm.tasks.dependencies.add(m.key, { blocks: n.key });
    await pm.tasks.dependencies.remove(n.key, m.key);
    expect(await pm.tasks.dependencies.list(m.key)).toEqual({ blocks: [], blockedBy: [] });
    expect((await failure(pm.tasks.dependencies.remove(n.key, m.key))).status).toBe(404);
  });

  it("another organization's task cannot be linked: the same answer as a task that does not exist", async () => {
    const stranger = await signUp(server, 'deps-stranger');
    const theirs = await stranger.pm.orgs.create({ name: 'Other' });
    const spm = server.client({ token: stranger.accessToken, org: theirs.id });
    await spm.projects.create(theirs.id, { key: 'DEP', name: 'Same key elsewhere' });
    const their = await spm.tasks.create('DEP', { title: 'theirs' });
    const mine = await pm.tasks.create('DEP', { title: 'mine' });
    const before = await linkCount();
    const foreign = await failure(pm.tasks.dependencies.add(mine.key, { blocks: their.id }));
    const unknown = await failure(
      pm.tasks.dependencies.add(mine.key, { blocks: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(foreign.status).toBe(400);
    expect(foreign.problem.errors).toEqual(unknown.problem.errors);
    expect(await linkCount()).toBe(before);
  });
});

describe('critical path and activity over the API', () => {
  it('reads the longest unfinished chain by estimate, skipping finished tasks', async () => {
    await pm.projects.create(orgId, { key: 'CP', name: 'Critical' });
    const t = async (title: string, estimateMinutes: number) =>
      pm.tasks.create('CP', { title, estimateMinutes });
    const spec = await t('spec', 30);
    const api = await t('api', 240);
    const ui = await t('ui', 90);
    const ship = await t('ship', 15);
    const done = await t('done already', 1000);
    await pm.tasks.dependencies.add(spec.key, { blocks: api.key });
    await pm.tasks.dependencies.add(spec.key, { blocks: ui.key });
    await pm.tasks.dependencies.add(api.key, { blocks: ship.key });
    await pm.tasks.dependencies.add(ui.key, { blocks: ship.key });
    await pm.tasks.dependencies.add(done.key, { blocks: ship.key });
    const statuses = await pm.projects.statuses.list('CP');
    await pm.tasks.update(done.key, {
      statusId: statuses.find((s) => s.category === 'completed')!.id,
    });
    const path = await pm.projects.criticalPath('CP');
    expect(path.tasks.map((task) => task.key)).toEqual([spec.key, api.key, ship.key]);
    expect(path.totalMinutes).toBe(285);
  });

  it('shows who changed what on a task, newest first, in pages', async () => {
    const task = await pm.tasks.create('DEP', { title: 'Tracked' });
    await pm.tasks.update(task.key, { title: 'Tracked closely' });
    const other = await pm.tasks.create('DEP', { title: 'other' });
    await pm.tasks.dependencies.add(task.key, { blocks: other.key });
    const all = await pm.tasks.activity(task.key, { limit: 2 }).toArray();
    expect(all.map((a) => a.action)).toEqual(['linked', 'updated', 'created']);
    expect(all[0]!.changes).toEqual({ blocks: other.key });
    expect(all[1]!.changes).toMatchObject({ title: { old: 'Tracked', new: 'Tracked closely' } });
    expect(all[2]!.actor).toEqual({ kind: 'user', id: owner.userId, name: expect.any(String) });
  });
});
