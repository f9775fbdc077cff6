import type { PmClient, Task } from '@pmkit/sdk';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, addMember, failure, signUp } from '../identity/helpers.js';

/**
 * Every filter of the task list, proven against a fixture where it alone decides: a test goes red
 * when its WHERE clause is removed.
 */
let server: TestServer;
let owner: Account;
let member: Account;
let pm: PmClient;
const tasks: Record<string, Task> = {};
const keys = (list: Task[]) => list.map((t) => t.title).sort();

beforeAll(async () => {
  server = await startTestServer();
  owner = await signUp(server, 'list-owner');
  member = await signUp(server, 'list-member');
  const org = await owner.pm.orgs.create({ name: 'List Org' });
  await addMember(server, owner, org.id, member, 'member');
  pm = server.client({ token: owner.accessToken, org: org.id });
  await pm.projects.create(org.id, { key: 'LST', name: 'List' });
  // Another project's tasks must never show.
  await pm.projects.create(org.id, { key: 'OTH', name: 'Other' });
  await pm.tasks.create('OTH', { title: 'other project', labels: ['bug'] });
  const statuses = await pm.projects.statuses.list('LST');
  const by = (name: string) => statuses.find((s) => s.name === name)!.id;
  const make = async (title: string, body: Record<string, unknown> = {}) => {
    tasks[title] = await pm.tasks.create('LST', { title, ...body });
  };
  await make('login page broken', {
    description: 'The login form rejects valid passwords',
    priority: 'high',
    labels: ['bug'],
    assigneeIds: [owner.userId],
    dueDate: '2026-11-01',
  });
  await make('write docs', { statusId: by('In Progress'), priority: 'low', dueDate: '2026-12-15' });
  await make('ship release', {
    statusId: by('Done'),
    priority: 'urgent',
    assigneeIds: [member.userId],
  });
  await make('subtask of login', {
    parentId: tasks['login page broken']!.id,
    labels: ['bug', 'ui'],
  });
  await make('mention in passing', { description: 'login is mentioned here, once' });
  await make('deleted one', { labels: ['bug'] });
  await pm.tasks.delete(tasks['deleted one']!.id);
});
afterAll(() => server.close());

const list = (query: Parameters<PmClient['tasks']['list']>[1]) =>
  pm.tasks.list('LST', query).toArray();

describe('task list filters', () => {
  it('without filters: the live tasks of this project, newest first', async () => {
    const all = await list({});
    expect(all.map((t) => t.title)).toEqual([
      'mention in passing',
      'subtask of login',
      'ship release',
      'write docs',
      'login page broken',
    ]);
  });

  it('status by name or id, and category', async () => {
    expect(keys(await list({ status: 'in progress' }))).toEqual(['write docs']);
    const done = tasks['ship release']!.status.id;
    expect(keys(await list({ status: [done, 'In Progress'] }))).toEqual([
      'ship release',
      'write docs',
    ]);
    expect(keys(await list({ category: 'completed' }))).toEqual(['ship release']);
    expect(keys(await list({ category: ['started', 'completed'] }))).toEqual([
      'ship release',
      'write docs',
    ]);
  });

  it('assignee, me included', async () => {
    expect(keys(await list({ assignee: 'me' }))).toEqual(['login page broken']);
    expect(keys(await list({ assignee: member.userId }))).toEqual(['ship release']);
  });

  it('label, priority', async () => {
    expect(keys(await list({ label: 'ui' }))).toEqual(['subtask of login']);
    expect(keys(await list({ label: 'bug' }))).toEqual(['login page broken', 'subtask of login']);
    expect(keys(await list({ priority: 'urgent' }))).toEqual(['ship release']);
    expect(keys(await list({ priority: ['high', 'low'] }))).toEqual([
      'login page broken',
      'write docs',
    ]);
  });

  it('parent by key, by id, or none', async () => {
    const parent = tasks['login page broken']!;
    expect(keys(await list({ parent: parent.key }))).toEqual(['subtask of login']);
    expect(keys(await list({ parent: parent.id }))).toEqual(['subtask of login']);
    expect(keys(await list({ parent: 'none' }))).not.toContain('subtask of login');
    expect((await list({ parent: 'none' })).length).toBe(4);
  });

  it('due before / after, updated since', async () => {
    expect(keys(await list({ dueBefore: '2026-11-30' }))).toEqual(['login page broken']);
    expect(keys(await list({ dueAfter: '2026-11-30' }))).toEqual(['write docs']);
    const since = new Date(Date.now() + 60_000).toISOString();
    expect(await list({ updatedSince: since })).toEqual([]);
    const touched = await pm.tasks.update(tasks['write docs']!.id, { title: 'write docs' });
    expect(keys(await list({ updatedSince: touched.updatedAt }))).toEqual(['write docs']);
  });

  it('full-text search, ranked: the title match first', async () => {
    const found = await list({ q: 'login' });
    // Title and description beat title alone, which beats description alone.
    expect(found.map((t) => t.title)).toEqual([
      'login page broken',
      'subtask of login',
      'mention in passing',
    ]);
    expect(keys(await list({ q: 'passwords' }))).toEqual(['login page broken']);
    expect(await list({ q: 'nothingmatches' })).toEqual([]);
  });

  it('sorts by priority, due, position; keyset pages neither repeat nor skip', async () => {
    expect((await list({ sort: '-priority' })).map((t) => t.priority)).toEqual([
      'urgent',
      'high',
      'low',
      'none',
      'none',
    ]);
    expect((await list({ sort: 'due' })).slice(0, 2).map((t) => t.title)).toEqual([
      'login page broken',
      'write docs',
    ]);
    const byPosition = await list({ sort: 'position' });
    expect(byPosition.map((t) => t.title)).toEqual(
      [...byPosition].sort((a, b) => (a.position < b.position ? -1 : 1)).map((t) => t.title),
    );
    for (const sort of ['-created', 'created', 'due', '-priority', 'position', '-updated']) {
      const paged = await pm.tasks.list('LST', { sort, limit: 2 }).toArray();
      const whole = await list({ sort });
      expect(
        paged.map((t) => t.id),
        sort,
      ).toEqual(whole.map((t) => t.id));
    }
    const rankedPages = await pm.tasks.list('LST', { q: 'login', limit: 1 }).toArray();
    expect(rankedPages.map((t) => t.id)).toEqual((await list({ q: 'login' })).map((t) => t.id));
    expect((await failure(pm.tasks.list('LST', { sort: 'title' }))).status).toBe(400);
  });

  it('counts by status take the same filters', async () => {
    const counts = await pm.tasks.counts('LST');
    expect(counts.total).toBe(5);
    expect(counts.items.map((c) => [c.status.name, c.count])).toEqual([
      ['Backlog', 0],
      ['Todo', 3],
      ['In Progress', 1],
      ['Done', 1],
      ['Cancelled', 0],
    ]);
    const bugs = await pm.tasks.counts('LST', { label: 'bug' });
    expect(bugs.total).toBe(2);
  });
});
