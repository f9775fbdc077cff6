import type { PmClient } from '@pmkit/sdk';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, addMember, failure, signUp } from '../identity/helpers.js';

let server: TestServer;
let owner: Account;
let member: Account;
let stranger: Account;
let orgId: string;
let pm: PmClient;

beforeAll(async () => {
  server = await startTestServer();
  owner = await signUp(server, 'fields-owner');
  member = await signUp(server, 'fields-member');
  stranger = await signUp(server, 'fields-stranger');
  const org = await owner.pm.orgs.create({ name: 'Fields Org' });
  orgId = org.id;
  await addMember(server, owner, orgId, member, 'member');
  await stranger.pm.orgs.create({ name: 'Elsewhere' });
  pm = server.client({ token: owner.accessToken, org: orgId });
});
afterAll(() => server.close());

const taskCount = async (projectId: string) =>
  (
    await server.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM tasks WHERE project_id = $1',
      [projectId],
    )
  ).rows[0]!.n;

describe('custom fields', () => {
  let projectId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    projectId = (await pm.projects.create(orgId, { key: 'FLD', name: 'Fields' })).id;
    const defs = [
      { name: 'Notes', type: 'text' },
      { name: 'Points', type: 'number' },
      { name: 'Launch', type: 'date' },
      { name: 'Severity', type: 'select', options: ['low', 'high'], default: 'low' },
      { name: 'Platforms', type: 'multi_select', options: ['web', 'ios', 'android'] },
      { name: 'Reviewer', type: 'user' },
    ] as const;
    for (const def of defs) {
      ids[def.name] = (
        await pm.projects.fields.create('FLD', {
          ...def,
          options: [...('options' in def ? def.options : [])],
        })
      ).id;
    }
  });

  it('lists definitions in order and writes values by name or id', async () => {
    const list = await pm.projects.fields.list('FLD');
    expect(list.map((f) => [f.name, f.type, f.position])).toEqual([
      ['Notes', 'text', 0],
      ['Points', 'number', 1],
      ['Launch', 'date', 2],
      ['Severity', 'select', 3],
      ['Platforms', 'multi_select', 4],
      ['Reviewer', 'user', 5],
    ]);
    const task = await pm.tasks.create('FLD', {
      title: 'Valued',
      fields: {
        notes: 'hello',
        [ids.Points!]: 3.5,
        LAUNCH: '2027-02-28',
        Platforms: ['web', 'ios'],
        Reviewer: member.userId,
      },
    });
    expect(task.fields).toEqual({
      [ids.Notes!]: 'hello',
      [ids.Points!]: 3.5,
      [ids.Launch!]: '2027-02-28',
      [ids.Severity!]: 'low',
      [ids.Platforms!]: ['web', 'ios'],
      [ids.Reviewer!]: member.userId,
    });
    const updated = await pm.tasks.update(task.id, { fields: { notes: null, Severity: 'high' } });
    expect(updated.fields[ids.Notes!]).toBeUndefined();
    expect(updated.fields[ids.Severity!]).toBe('high');
    expect(updated.fields[ids.Points!]).toBe(3.5);
  });

  const invalid: [string, unknown, RegExp][] = [
    ['Notes', 12, /Notes takes text/],
    ['Points', 'three', /Points takes a number/],
    ['Launch', '2027-02-30', /Launch takes a date/],
    ['Severity', 'urgent', /Severity: "urgent" is not one of low, high/],
    ['Platforms', ['web', 'tv'], /Platforms: "tv" not among/],
    ['Platforms', 'web', /Platforms takes a list/],
    ['Reviewer', 'not-a-uuid', /Reviewer takes the id of a member/],
    ['Nope', 'x', /Nope is not a custom field/],
  ];
  for (const [name, value, message] of invalid) {
    it(`refuses ${JSON.stringify(value)} for ${name} with the field named, writing nothing`, async () => {
      const before = await taskCount(projectId);
      const refused = await failure(
        pm.tasks.create('FLD', { title: 'Bad', fields: { [name]: value as never } }),
      );
      expect(refused.status).toBe(400);
      expect(refused.detail).toBe(`Invalid custom field value: ${name}`);
      expect(refused.errors).toEqual([
        { path: `/body/fields/${name}`, message: expect.stringMatching(message) },
      ]);
      expect(await taskCount(projectId)).toBe(before);
    });
  }

  it('refuses a user who is not a member, on create and on update', async () => {
    const refused = await failure(
      pm.tasks.create('FLD', { title: 'Bad', fields: { Reviewer: stranger.userId } }),
    );
    expect(refused.errors).toEqual([
      {
        path: '/body/fields/Reviewer',
        message: `Reviewer: ${stranger.userId} is not a member of the organization`,
      },
    ]);
    const task = await pm.tasks.create('FLD', { title: 'Fine' });
    const again = await failure(
      pm.tasks.update(task.id, { fields: { Reviewer: stranger.userId } }),
    );
    expect(again.status).toBe(400);
    expect((await pm.tasks.get(task.id)).version).toBe(task.version);
  });

  it('applies defaults, then requires required fields on create; refuses clearing them', async () => {
    const req = await pm.projects.create(orgId, { key: 'REQ', name: 'Required' });
    const owned = await pm.projects.fields.create('REQ', {
      name: 'Owner team',
      type: 'text',
      required: true,
    });
    await pm.projects.fields.create('REQ', {
      name: 'Risk',
      type: 'select',
      options: ['a', 'b'],
      required: true,
      default: 'a',
    });
    const missing = await failure(pm.tasks.create('REQ', { title: 'No team' }));
    expect(missing.status).toBe(400);
    expect(missing.errors).toEqual([
      { path: '/body/fields/Owner team', message: 'Owner team is required' },
    ]);
    expect(await taskCount(req.id)).toBe(0);
    const task = await pm.tasks.create('REQ', { title: 'Team', fields: { 'owner team': 'core' } });
    expect(Object.values(task.fields).sort()).toEqual(['a', 'core']);
    const cleared = await failure(pm.tasks.update(task.id, { fields: { [owned.id]: null } }));
    expect(cleared.errors).toEqual([
      { path: `/body/fields/${owned.id}`, message: 'Owner team is required' },
    ]);
  });

  it('checks definitions: options by type, a valid default, unique names', async () => {
    const noOptions = await failure(
      pm.projects.fields.create('FLD', { name: 'Kind', type: 'select' }),
    );
    expect(noOptions.errors[0]?.path).toBe('/body/options');
    const stray = await failure(
      pm.projects.fields.create('FLD', { name: 'Kind', type: 'text', options: ['a'] }),
    );
    expect(stray.errors[0]?.path).toBe('/body/options');
    const badDefault = await failure(
      pm.projects.fields.create('FLD', {
        name: 'Kind',
        type: 'select',
        options: ['a'],
        default: 'b',
      }),
    );
    expect(badDefault.errors).toEqual([
      { path: '/body/default', message: 'Kind: "b" is not one of a' },
    ]);
    const taken = await failure(
      pm.projects.fields.create('FLD', { name: 'severity', type: 'text' }),
    );
    expect(taken.status).toBe(409);
    const narrowed = await failure(
      pm.projects.fields.update('FLD', ids.Severity!, { options: ['high'] }),
    );
    expect(narrowed.errors[0]?.path).toBe('/body/default');
    expect((await pm.projects.fields.list('FLD')).length).toBe(6);
  });

  it('deleting a definition removes its values from every task, in one go', async () => {
    const p = await pm.projects.create(orgId, { key: 'DEL', name: 'Delete' });
    const tag = await pm.projects.fields.create('DEL', { name: 'Tag', type: 'text' });
    const keep = await pm.projects.fields.create('DEL', { name: 'Keep', type: 'text' });
    const a = await pm.tasks.create('DEL', { title: 'a', fields: { Tag: 'x', Keep: 'y' } });
    const b = await pm.tasks.create('DEL', { title: 'b', fields: { Tag: 'z' } });
    await pm.projects.fields.delete('DEL', tag.id);
    expect((await pm.tasks.get(a.id)).fields).toEqual({ [keep.id]: 'y' });
    const after = await pm.tasks.get(b.id);
    expect(after.fields).toEqual({});
    expect(after.version).toBe(b.version + 1);
    const { rows } = await server.db.query(
      `SELECT count(*)::int AS n FROM tasks WHERE project_id = $1 AND fields ? $2`,
      [p.id, tag.id],
    );
    expect(rows).toEqual([{ n: 0 }]);
    const gone = await failure(pm.tasks.create('DEL', { title: 'c', fields: { Tag: 'x' } }));
    expect(gone.errors[0]?.path).toBe('/body/fields/Tag');
  });

  it('filters the task list by a field value', async () => {
    await pm.projects.create(orgId, { key: 'FIL', name: 'Filter' });
    const sev = await pm.projects.fields.create('FIL', {
      name: 'Sev',
      type: 'select',
      options: ['low', 'high'],
    });
    const pts = await pm.projects.fields.create('FIL', { name: 'Pts', type: 'number' });
    const tags = await pm.projects.fields.create('FIL', {
      name: 'Tags',
      type: 'multi_select',
      options: ['a', 'b'],
    });
    await pm.tasks.create('FIL', {
      title: 'one',
      fields: { Sev: 'high', Pts: 3, Tags: ['a', 'b'] },
    });
    await pm.tasks.create('FIL', { title: 'two', fields: { Sev: 'low', Pts: 30, Tags: ['b'] } });
    await pm.tasks.create('FIL', { title: 'three' });
    const titles = async (field: string) =>
      (await pm.tasks.list('FIL', { field }).toArray()).map((t) => t.title).sort();
    expect(await titles(`${sev.id}=high`)).toEqual(['one']);
    expect(await titles(`${pts.id}=30`)).toEqual(['two']);
    expect(await titles(`${tags.id}=b`)).toEqual(['one', 'two']);
    expect(await titles(`${tags.id}=a`)).toEqual(['one']);
    expect((await pm.tasks.counts('FIL', { field: `${sev.id}=low` })).total).toBe(1);
  });

  it('a member writes values but may not define fields', async () => {
    const asMember = server.client({ token: member.accessToken, org: orgId });
    const denied = await failure(
      asMember.projects.fields.create('FLD', { name: 'Mine', type: 'text' }),
    );
    expect(denied.status).toBe(403);
    const task = await asMember.tasks.create('FLD', { title: 'By member', fields: { Points: 1 } });
    expect(task.fields[ids.Points!]).toBe(1);
  });
});

describe('milestones', () => {
  it('reports progress by count and estimate, cancelled tasks left out', async () => {
    const project = await pm.projects.create(orgId, { key: 'MS', name: 'Milestones' });
    const statuses = await pm.projects.statuses.list('MS');
    const id = (name: string) => statuses.find((s) => s.name === name)!.id;
    const beta = await pm.projects.milestones.create('MS', { name: 'Beta', dueDate: '2027-03-01' });
    expect(beta.progress).toEqual({
      done: 0,
      total: 0,
      doneEstimateMinutes: 0,
      totalEstimateMinutes: 0,
    });
    const mk = (title: string, status: string, estimateMinutes: number | null) =>
      pm.tasks.create('MS', { title, statusId: id(status), estimateMinutes, milestoneId: beta.id });
    await mk('a', 'Done', 60);
    await mk('b', 'Done', null);
    await mk('c', 'In Progress', 30);
    await mk('d', 'Todo', 10);
    await mk('e', 'Cancelled', 500);
    const gone = await mk('f', 'Done', 1000);
    await pm.tasks.delete(gone.id);
    await pm.tasks.create('MS', { title: 'elsewhere', estimateMinutes: 7 });
    expect((await pm.projects.milestones.get('MS', beta.id)).progress).toEqual({
      done: 2,
      total: 4,
      doneEstimateMinutes: 60,
      totalEstimateMinutes: 100,
    });
    const [listed] = await pm.projects.milestones.list(project.id).toArray();
    expect(listed?.progress.total).toBe(4);
    const filtered = await pm.tasks.list('MS', { milestone: beta.id }).toArray();
    expect(filtered.map((t) => t.title).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    const none = await pm.tasks.list('MS', { milestone: 'none' }).toArray();
    expect(none.map((t) => t.title)).toEqual(['elsewhere']);
  });

  it('refuses a milestone of another project, or a deleted one, naming milestoneId', async () => {
    await pm.projects.create(orgId, { key: 'MS2', name: 'Other' });
    const other = await pm.projects.milestones.create('MS2', { name: 'Theirs' });
    const refused = await failure(pm.tasks.create('MS', { title: 'x', milestoneId: other.id }));
    expect(refused.status).toBe(400);
    expect(refused.errors).toEqual([
      { path: '/body/milestoneId', message: 'is not a milestone of this project' },
    ]);
    const task = await pm.tasks.create('MS2', { title: 'on it', milestoneId: other.id });
    await pm.projects.milestones.delete('MS2', other.id);
    const after = await pm.tasks.get(task.id);
    expect(after.milestoneId).toBeNull();
    expect(after.version).toBe(task.version + 1);
    expect((await failure(pm.projects.milestones.get('MS2', other.id))).status).toBe(404);
    const again = await failure(pm.tasks.update(task.id, { milestoneId: other.id }));
    expect(again.errors[0]?.path).toBe('/body/milestoneId');
  });

  it('updates name and due date; a member may not', async () => {
    const m = await pm.projects.milestones.create('MS', { name: 'GA' });
    const changed = await pm.projects.milestones.update('MS', m.id, { dueDate: '2027-06-01' });
    expect(changed).toMatchObject({ name: 'GA', dueDate: '2027-06-01' });
    const asMember = server.client({ token: member.accessToken, org: orgId });
    expect(
      (await failure(asMember.projects.milestones.update('MS', m.id, { name: 'x' }))).status,
    ).toBe(403);
    expect((await asMember.projects.milestones.get('MS', m.id)).name).toBe('GA');
  });
});

describe('project templates', () => {
  it('saves a project and creates a copy shifted to a new start, set-wise, keys 1..n', async () => {
    await pm.projects.create(orgId, {
      key: 'SRC',
      name: 'Source',
      startDate: '2026-01-05',
      dueDate: '2026-03-02',
    });
    await pm.projects.statuses.create('SRC', { name: 'Review', category: 'started' });
    const sev = await pm.projects.fields.create('SRC', {
      name: 'Severity',
      type: 'select',
      options: ['low', 'high'],
    });
    const ms = await pm.projects.milestones.create('SRC', { name: 'Beta', dueDate: '2026-02-01' });
    const statuses = await pm.projects.statuses.list('SRC');
    const review = statuses.find((s) => s.name === 'Review')!;
    const done = statuses.find((s) => s.name === 'Done')!;
    const epic = await pm.tasks.create('SRC', {
      title: 'Epic',
      priority: 'high',
      labels: ['big'],
      estimateMinutes: 600,
      startDate: '2026-01-05',
      dueDate: '2026-01-30',
      milestoneId: ms.id,
      fields: { Severity: 'high' },
    });
    const child = await pm.tasks.create('SRC', {
      title: 'Child',
      parentId: epic.id,
      statusId: review.id,
      dueDate: '2026-01-12',
    });
    await pm.tasks.create('SRC', { title: 'Grandchild', parentId: child.id, statusId: done.id });
    const deleted = await pm.tasks.create('SRC', { title: 'Deleted' });
    await pm.tasks.delete(deleted.id);
    await pm.tasks.create('SRC', { title: 'Loose', startDate: '2026-01-01' });

    // Dependencies: the links between copied tasks come along, a link to a deleted task not.
    await server.db.query(
      `INSERT INTO task_dependencies (org_id, blocker_id, blocked_id)
       VALUES ($1, $2, $3), ($1, $4, $2)`,
      [orgId, child.id, epic.id, deleted.id],
    );
    const template = await pm.projects.templates.create(orgId, {
      projectId: 'SRC',
      name: 'Website',
    });
    expect(template.counts).toEqual({
      statuses: 6,
      fields: 1,
      milestones: 1,
      tasks: 4,
      dependencies: 1,
    });
    // Later changes to the source do not change the template.
    await pm.tasks.update(epic.id, { title: 'Renamed epic' });

    const copy = await pm.projects.create(orgId, {
      key: 'NEW',
      name: 'New',
      templateId: template.id,
      startDate: '2027-01-04',
    });
    expect(copy).toMatchObject({ startDate: '2027-01-04', dueDate: '2027-03-01' });
    expect((await pm.projects.statuses.list('NEW')).map((s) => s.name)).toEqual(
      statuses.map((s) => s.name),
    );
    const [field] = await pm.projects.fields.list('NEW');
    expect(field).toMatchObject({ name: 'Severity', options: ['low', 'high'] });
    expect(field!.id).not.toBe(sev.id);
    const [milestone] = await pm.projects.milestones.list('NEW').toArray();
    expect(milestone).toMatchObject({ name: 'Beta', dueDate: '2027-01-31' });
    const tasks = await pm.tasks.list('NEW', { sort: 'created' }).toArray();
    expect(tasks.map((t) => [t.key, t.title, t.status.name, t.startDate, t.dueDate])).toEqual([
      ['NEW-1', 'Epic', 'Todo', '2027-01-04', '2027-01-29'],
      ['NEW-2', 'Child', 'Review', null, '2027-01-11'],
      ['NEW-3', 'Grandchild', 'Done', null, null],
      ['NEW-4', 'Loose', 'Todo', '2026-12-31', null],
    ]);
    const [e, c, g] = tasks;
    expect(e).toMatchObject({
      priority: 'high',
      labels: ['big'],
      estimateMinutes: 600,
      parentId: null,
      milestoneId: milestone!.id,
      fields: { [field!.id]: 'high' },
    });
    expect(c!.parentId).toBe(e!.id);
    expect(g!.parentId).toBe(c!.id);
    expect(g!.completedAt).not.toBeNull();
    const { rows: links } = await server.db.query(
      `SELECT blocker_id, blocked_id FROM task_dependencies d JOIN tasks t ON t.id = d.blocked_id
       WHERE t.project_id = $1`,
      [copy.id],
    );
    expect(links).toEqual([{ blocker_id: c!.id, blocked_id: e!.id }]);
    expect((await pm.projects.milestones.get('NEW', milestone!.id)).progress.total).toBe(1);
    // The sequence moved past the copied tasks.
    expect((await pm.tasks.create('NEW', { title: 'Next' })).key).toBe('NEW-5');
    const { rows } = await server.db.query(
      `SELECT entity || '.' || action AS action FROM events WHERE entity_id = $1`,
      [copy.id],
    );
    expect(rows).toEqual([{ action: 'project.created' }]);
  });

  it('refuses an unknown template or project, writing nothing', async () => {
    const before = await pm.projects.list(orgId).toArray();
    const refused = await failure(
      pm.projects.create(orgId, {
        key: 'NOPE',
        name: 'Nope',
        templateId: '00000000-0000-4000-8000-000000000000',
      }),
    );
    expect(refused.errors[0]?.path).toBe('/body/templateId');
    expect((await pm.projects.list(orgId).toArray()).length).toBe(before.length);
    const noProject = await failure(
      pm.projects.templates.create(orgId, { projectId: 'NOSUCH', name: 'x' }),
    );
    expect(noProject.errors[0]?.path).toBe('/body/projectId');
  });

  it('lists, shows and deletes templates; members may read only', async () => {
    const t = await pm.projects.templates.create(orgId, { projectId: 'FLD', name: 'From fields' });
    expect((await pm.projects.templates.get(orgId, t.id)).name).toBe('From fields');
    const asMember = server.client({ token: member.accessToken, org: orgId });
    expect((await asMember.projects.templates.list(orgId).toArray()).map((x) => x.id)).toContain(
      t.id,
    );
    expect((await failure(asMember.projects.templates.delete(orgId, t.id))).status).toBe(403);
    await pm.projects.templates.delete(orgId, t.id);
    expect((await failure(pm.projects.templates.get(orgId, t.id))).status).toBe(404);
    const stale = await failure(
      pm.projects.create(orgId, { key: 'STALE', name: 'x', templateId: t.id }),
    );
    expect(stale.status).toBe(400);
  });
});
