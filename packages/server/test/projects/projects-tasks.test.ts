import type { PmClient } from '@pmkit/sdk';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, addMember, failure, signUp } from '../identity/helpers.js';

let server: TestServer;
let owner: Account;
let orgId: string;
/** The owner's client, sending PM-Org so keys resolve. */
let pm: PmClient;

beforeAll(async () => {
  server = await startTestServer();
  owner = await signUp(server, 'pm-owner');
  const org = await owner.pm.orgs.create({ name: 'Projects Org' });
  orgId = org.id;
  pm = server.client({ token: owner.accessToken, org: org.id });
});
afterAll(() => server.close());

const events = async (entityId: string) =>
  (
    await server.db.query<{ action: string; changes: Record<string, unknown> }>(
      `SELECT entity || '.' || action AS action, changes FROM events WHERE entity_id = $1 ORDER BY id`,
      [entityId],
    )
  ).rows;

describe('projects', () => {
  it('creates a project with the default workflow, by key and by id', async () => {
    const project = await pm.projects.create(orgId, {
      key: 'WEB',
      name: 'Website',
      budget: { amount: '12000.50', currency: 'EUR' },
      budgetHours: 120.5,
      startDate: '2026-01-01',
      dueDate: '2026-06-30',
    });
    expect(project).toMatchObject({
      key: 'WEB',
      status: 'active',
      budget: { amount: '12000.50', currency: 'EUR' },
      budgetHours: 120.5,
      startDate: '2026-01-01',
      leadId: null,
      version: 1,
    });
    expect((await pm.projects.get('WEB')).id).toBe(project.id);
    expect((await pm.projects.get(project.id)).key).toBe('WEB');
    const statuses = await pm.projects.statuses.list('WEB');
    expect(statuses.map((s) => [s.name, s.category, s.position])).toEqual([
      ['Backlog', 'backlog', 0],
      ['Todo', 'unstarted', 1],
      ['In Progress', 'started', 2],
      ['Done', 'completed', 3],
      ['Cancelled', 'cancelled', 4],
    ]);
    expect((await events(project.id)).map((e) => e.action)).toEqual(['project.created']);
  });

  it('refuses a taken key with 409 project-key-taken, a bad key with 400', async () => {
    await pm.projects.create(orgId, { key: 'DUP', name: 'One' });
    const taken = await failure(pm.projects.create(orgId, { key: 'DUP', name: 'Two' }));
    expect(taken.status).toBe(409);
    expect(taken.problem.type).toBe('https://pmkit.dev/problems/project-key-taken');
    const bad = await failure(pm.projects.create(orgId, { key: 'web', name: 'x' }));
    expect(bad.status).toBe(400);
    // Another organization may use the same key.
    const other = await owner.pm.orgs.create({ name: 'Other Keys' });
    expect((await owner.pm.projects.create(other.id, { key: 'DUP', name: 'Mine' })).key).toBe(
      'DUP',
    );
  });

  it('updates with If-Match; a stale one is 412 and changes nothing', async () => {
    const project = await pm.projects.create(orgId, { key: 'ETAG', name: 'Before' });
    const updated = await pm.projects.update(
      'ETAG',
      { name: 'After', status: 'on_hold' },
      { ifMatch: `"${project.version}"` },
    );
    expect(updated).toMatchObject({ name: 'After', status: 'on_hold', version: 2 });
    const stale = await failure(
      pm.projects.update('ETAG', { name: 'Lost' }, { ifMatch: project.version }),
    );
    expect(stale.status).toBe(412);
    expect(stale.problem.type).toBe('https://pmkit.dev/problems/stale-version');
    expect((await pm.projects.get('ETAG')).name).toBe('After');
    const changes = (await events(project.id)).at(-1)!.changes;
    expect(changes).toEqual({
      name: { old: 'Before', new: 'After' },
      status: { old: 'active', new: 'on_hold' },
    });
  });

  it('archives (read-only, hidden), restores; deletes softly, and only an Admin restores that', async () => {
    const project = await pm.projects.create(orgId, { key: 'ARC', name: 'Archive me' });
    await pm.tasks.create('ARC', { title: 'Before archiving' });
    await pm.projects.archive('ARC');
    const listed = await pm.projects.list(orgId).toArray();
    expect(listed.map((p) => p.key)).not.toContain('ARC');
    const all = await pm.projects.list(orgId, { archived: 'only' }).toArray();
    expect(all.map((p) => p.key)).toEqual(['ARC']);
    for (const write of [
      () => pm.projects.update('ARC', { name: 'x' }),
      () => pm.tasks.create('ARC', { title: 'x' }),
      () => pm.tasks.update('ARC-1', { title: 'x' }),
      () => pm.tasks.delete('ARC-1'),
      () => pm.projects.statuses.create('ARC', { name: 'x', category: 'started' }),
    ]) {
      const refused = await failure(write());
      expect(refused.status).toBe(409);
      expect(refused.problem.type).toBe('https://pmkit.dev/problems/project-archived');
    }
    expect((await pm.tasks.get('ARC-1')).title).toBe('Before archiving');
    expect((await pm.projects.restore('ARC')).archivedAt).toBeNull();
    await pm.tasks.update('ARC-1', { title: 'After restoring' });

    const manager = await signUp(server, 'pm-manager');
    await addMember(server, owner, orgId, manager, 'manager');
    const asManager = server.client({ token: manager.accessToken, org: orgId });
    expect((await failure(asManager.projects.delete('ARC'))).status).toBe(403);
    await pm.projects.delete('ARC');
    expect((await failure(pm.projects.get('ARC'))).status).toBe(404);
    expect((await failure(pm.tasks.get('ARC-1'))).status).toBe(404);
    expect((await failure(asManager.projects.restore('ARC'))).status).toBe(403);
    expect((await pm.projects.restore('ARC')).deletedAt).toBeNull();
    expect((await pm.tasks.get('ARC-1')).title).toBe('After restoring');
    expect((await events(project.id)).map((e) => e.action)).toEqual([
      'project.created',
      'project.archived',
      'project.restored',
      'project.deleted',
      'project.restored',
    ]);
  });

  it('lists by status, keyset pages', async () => {
    const org = await owner.pm.orgs.create({ name: 'Paging' });
    for (const key of ['PA', 'PB', 'PC', 'PD', 'PE']) {
      await owner.pm.projects.create(org.id, {
        key,
        name: key,
        status: key === 'PC' ? 'completed' : 'active',
      });
    }
    const first = await owner.pm.projects.list(org.id, { limit: 2 });
    expect(first.items.map((p) => p.key)).toEqual(['PE', 'PD']);
    const second = await owner.pm.projects.list(org.id, { limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((p) => p.key)).toEqual(['PC', 'PB']);
    const all = await owner.pm.projects.list(org.id, { limit: 2 }).toArray();
    expect(all.map((p) => p.key)).toEqual(['PE', 'PD', 'PC', 'PB', 'PA']);
    const done = await owner.pm.projects.list(org.id, { status: 'completed' }).toArray();
    expect(done.map((p) => p.key)).toEqual(['PC']);
  });
});

describe('workflow statuses', () => {
  it('adds, renames, reorders; removing moves tasks; the last completed one stays', async () => {
    await pm.projects.create(orgId, { key: 'FLOW', name: 'Flow' });
    const review = await pm.projects.statuses.create('FLOW', {
      name: 'Review',
      category: 'started',
      position: 3,
    });
    expect(review.position).toBe(3);
    const renamed = await pm.projects.statuses.update('FLOW', review.id, {
      name: 'In Review',
      position: 0,
    });
    expect(renamed).toMatchObject({ name: 'In Review', position: 0 });
    const names = (await pm.projects.statuses.list('FLOW')).map((s) => s.name);
    expect(names).toEqual(['In Review', 'Backlog', 'Todo', 'In Progress', 'Done', 'Cancelled']);
    const taken = await failure(
      pm.projects.statuses.create('FLOW', { name: 'todo', category: 'unstarted' }),
    );
    expect(taken.status).toBe(409);

    const task = await pm.tasks.create('FLOW', { title: 'Under review', statusId: review.id });
    const inUse = await failure(pm.projects.statuses.delete('FLOW', review.id));
    expect(inUse.status).toBe(409);
    const statuses = await pm.projects.statuses.list('FLOW');
    const done = statuses.find((s) => s.name === 'Done')!;
    await pm.projects.statuses.delete('FLOW', review.id, { moveTo: done.id });
    const moved = await pm.tasks.get(task.id);
    expect(moved.status.name).toBe('Done');
    expect(moved.completedAt).not.toBeNull();
    const last = await failure(
      pm.projects.statuses.delete('FLOW', done.id, { moveTo: statuses[1]!.id }),
    );
    expect(last.status).toBe(409);
    expect(last.problem.type).toBe('https://pmkit.dev/problems/last-completed-status');
    expect((await pm.projects.statuses.list('FLOW')).map((s) => s.position)).toEqual([
      0, 1, 2, 3, 4,
    ]);
  });
});

describe('tasks', () => {
  let member: Account;
  beforeAll(async () => {
    await pm.projects.create(orgId, { key: 'TSK', name: 'Tasks' });
    member = await signUp(server, 'pm-member');
    await addMember(server, owner, orgId, member, 'member');
  });

  it('creates WEB-1 style keys, defaults to the first unstarted status, reads by key', async () => {
    const task = await pm.tasks.create('TSK', {
      title: 'First',
      description: '**bold**',
      priority: 'high',
      labels: ['bug'],
      assigneeIds: [owner.userId],
      estimateMinutes: 90,
      dueDate: '2026-12-01',
    });
    expect(task).toMatchObject({
      key: 'TSK-1',
      number: 1,
      status: { name: 'Todo', category: 'unstarted' },
      priority: 'high',
      labels: ['bug'],
      assigneeIds: [owner.userId],
      estimateMinutes: 90,
      dueDate: '2026-12-01',
      version: 1,
      completedAt: null,
    });
    expect((await pm.tasks.get('TSK-1')).id).toBe(task.id);
    expect((await events(task.id)).map((e) => e.action)).toEqual(['task.created']);
  });

  it('refuses assignees that are not members, naming the field', async () => {
    const stranger = await signUp(server, 'pm-stranger');
    const refused = await failure(
      pm.tasks.create('TSK', { title: 'x', assigneeIds: [stranger.userId] }),
    );
    expect(refused.status).toBe(400);
    expect(refused.problem.errors?.[0]?.path).toBe('/body/assigneeIds');
  });

  it('20 concurrent creates get 20 distinct consecutive keys', async () => {
    await pm.projects.create(orgId, { key: 'RACE', name: 'Race' });
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) => pm.tasks.create('RACE', { title: `Task ${i}` })),
    );
    expect(created.map((t) => t.number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect(new Set(created.map((t) => t.position)).size).toBe(20);
  });

  it('updates with If-Match, records changed fields, sets completedAt; stale is 412', async () => {
    const task = await pm.tasks.create('TSK', { title: 'To finish' });
    const statuses = await pm.projects.statuses.list('TSK');
    const done = statuses.find((s) => s.category === 'completed')!;
    const updated = await pm.tasks.update(
      task.key,
      { statusId: done.id, assigneeIds: [member.userId], priority: 'urgent' },
      { ifMatch: task.version },
    );
    expect(updated).toMatchObject({ version: 2, priority: 'urgent', assigneeIds: [member.userId] });
    expect(updated.completedAt).not.toBeNull();
    const stale = await failure(pm.tasks.update(task.key, { title: 'Lost' }, { ifMatch: 1 }));
    expect(stale.status).toBe(412);
    const after = await pm.tasks.get(task.key);
    expect(after).toMatchObject({ title: 'To finish', version: 2 });
    const last = (await events(task.id)).at(-1)!;
    expect(last.action).toBe('task.updated');
    expect(Object.keys(last.changes).sort()).toEqual([
      'assigneeIds',
      'completedAt',
      'priority',
      'status',
    ]);
    expect(last.changes.priority).toEqual({ old: 'none', new: 'urgent' });
    const reopened = await pm.tasks.update(task.key, { statusId: statuses[1]!.id });
    expect(reopened.completedAt).toBeNull();
  });

  it('subtasks: same project, no cycles, at most 7 deep', async () => {
    const root = await pm.tasks.create('TSK', { title: 'Root' });
    let parent = root;
    for (let depth = 1; depth <= 7; depth++) {
      parent = await pm.tasks.create('TSK', { title: `Depth ${depth}`, parentId: parent.id });
    }
    const tooDeep = await failure(pm.tasks.create('TSK', { title: 'x', parentId: parent.id }));
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.problem.errors?.[0]?.path).toBe('/body/parentId');
    const cycle = await failure(pm.tasks.update(root.id, { parentId: parent.id }));
    expect(cycle.status).toBe(409);
    await pm.projects.create(orgId, { key: 'ELSE', name: 'Elsewhere' });
    const foreign = await pm.tasks.create('ELSE', { title: 'Elsewhere' });
    const cross = await failure(pm.tasks.create('TSK', { title: 'x', parentId: foreign.id }));
    expect(cross.status).toBe(400);
    // Moving a subtree re-computes depths: a 6-deep chain cannot go under a 2-deep task.
    const shallow = await pm.tasks.create('TSK', { title: 'Shallow' });
    const child = await pm.tasks.create('TSK', { title: 'Child', parentId: shallow.id });
    const chainTop = (await pm.tasks.list('TSK', { parent: root.key }).toArray())[0]!;
    const refused = await failure(pm.tasks.update(chainTop.id, { parentId: child.id }));
    expect(refused.status).toBe(400);
  });

  it('deletes softly and restores', async () => {
    const task = await pm.tasks.create('TSK', { title: 'Short-lived' });
    await pm.tasks.delete(task.key);
    expect((await failure(pm.tasks.get(task.key))).status).toBe(404);
    expect((await pm.tasks.list('TSK').toArray()).map((t) => t.id)).not.toContain(task.id);
    expect((await pm.tasks.restore(task.key)).deletedAt).toBeNull();
    expect((await events(task.id)).map((e) => e.action)).toEqual([
      'task.created',
      'task.deleted',
      'task.restored',
    ]);
  });

  it('a key from another organization is 404', async () => {
    const stranger = await signUp(server, 'pm-other');
    const theirs = await stranger.pm.orgs.create({ name: 'Theirs' });
    const asStranger = server.client({ token: stranger.accessToken, org: theirs.id });
    expect((await failure(asStranger.tasks.get('TSK-1'))).status).toBe(404);
    expect((await failure(asStranger.projects.get('TSK'))).status).toBe(404);
    // Naming the victim's organization in PM-Org does not help either.
    const naming = server.client({ token: stranger.accessToken, org: orgId });
    expect((await failure(naming.tasks.get('TSK-1'))).status).toBe(404);
  });

  it('roles: a Viewer reads, a Member writes tasks, not projects', async () => {
    const viewer = await signUp(server, 'pm-viewer');
    await addMember(server, owner, orgId, viewer, 'viewer');
    const asViewer = server.client({ token: viewer.accessToken, org: orgId });
    expect((await asViewer.tasks.get('TSK-1')).key).toBe('TSK-1');
    expect((await failure(asViewer.tasks.create('TSK', { title: 'x' }))).status).toBe(403);
    const asMember = server.client({ token: member.accessToken, org: orgId });
    expect((await asMember.tasks.create('TSK', { title: 'By a member' })).key).toMatch(/^TSK-/);
    expect(
      (await failure(asMember.projects.create(orgId, { key: 'NOPE', name: 'x' }))).status,
    ).toBe(403);
    const { secret } = await owner.pm.apiKeys.create(orgId, { name: 'ro', scopes: ['tasks:read'] });
    const asKey = server.client({ apiKey: secret });
    expect((await asKey.tasks.get('TSK-1')).key).toBe('TSK-1');
    const scoped = await failure(asKey.tasks.create('TSK', { title: 'x' }));
    expect(scoped.status).toBe(403);
    expect(scoped.problem.type).toBe('https://pmkit.dev/problems/missing-scope');
  });
});
