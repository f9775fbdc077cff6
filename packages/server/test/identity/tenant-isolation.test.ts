import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bodySchema,
  deref,
  type IdField,
  idFields,
  type Operation,
  operations,
  operationsById,
  type Schema,
  sample,
  schemaErrors,
  setAt,
} from '../support/contract.js';
import { seedEntries } from '../time/seed.js';
import { addMember, signUp } from './helpers.js';

/**
 * Two attacks, generated from openapi.yaml so a new operation or a new id-bearing field (a path
 * parameter, a uuid or `…Id(s)` query parameter or body field) is covered without editing this file:
 *
 * 1. the victim's ids under the victim's `{org}`: a stranger is told 404, never 403;
 * 2. the victim's ids under the stranger's OWN `{org}` (the classic insecure direct object
 *    reference), in the path, the query and the body: the answer must be exactly the answer to a
 *    random id that exists nowhere.
 *
 * An id kind this file has no victim object for fails the run: add a fixture for it.
 */

// Tokens are capabilities rather than ids: looking an invitation up and declining it only need
// the token, by design.
const CAPABILITY_OPERATIONS = new Set(['getInvitation', 'declineInvitation']);
// Bodies that are one of several shapes (a bulk change is exactly one of status, assignees,
// milestone…): this walk would put every id field in one body. Their ids are walked one shape at a
// time in test/projects/bulk.test.ts.
const ONE_OF_BODIES = new Set(['bulkUpdateTasks']);
// Which fixture an id kind names when its name is not the fixture's own (`actor`: a user or key).
const KIND_ALIASES: Record<string, string[]> = {
  actor: ['user', 'key'],
  assignee: ['user'],
  parent: ['task'],
  other: ['task'],
  add: ['user'],
  remove: ['user'],
  moveTo: ['status'],
  owner: ['user'],
  leads: ['lead'],
};

const REPORT_DAY = '2030-01-01T09:00:00Z';

let server: TestServer;
let victim: Record<string, string>;
let strangerOrg: string;
let strangerTokens: { session: string; apiKey: string };

beforeAll(async () => {
  server = await startTestServer();
  const owner = await signUp(server, 'victim');
  const org = await owner.pm.orgs.create({ name: 'Victim Org' });
  const member = await signUp(server, 'victim-member');
  await addMember(server, owner, org.id, member, 'member');
  const mark = server.mail.mark();
  const invitation = await owner.pm.invitations.create(org.id, {
    email: 'pending@example.com',
    role: 'admin',
  });
  const token = await server.mail.token('pending@example.com', /invited you/, { after: mark });
  const key = await owner.pm.apiKeys.create(org.id, { name: 'victim key', scopes: ['orgs:read'] });
  const [session] = await owner.pm.me.sessions.list().toArray();
  const project = await owner.pm.projects.create(org.id, { key: 'VIC', name: 'Victim project' });
  const [status] = await owner.pm.projects.statuses.list(project.id);
  const field = await owner.pm.projects.fields.create(project.id, { name: 'Victim', type: 'text' });
  const milestone = await owner.pm.projects.milestones.create(project.id, { name: 'Victim' });
  const task = await owner.pm.tasks.create(project.id, { title: 'Victim task' });
  const lead = await owner.pm.leads.create(org.id, { name: 'Victim Lead', email: 'v@example.com' });
  const [leadStatus] = await owner.pm.leads.statuses.list(org.id);
  const rule = await owner.pm.leads.scoringRules.create(org.id, {
    field: 'source',
    operator: 'equals',
    value: 'referral',
    points: 20,
  });
  const { rows: notified } = await server.db.query<{ id: string }>(
    `INSERT INTO notifications (user_id, org_id, kind, lead_id, title)
     VALUES ($1, $2, 'lead.follow_up', $3, 'Follow up') RETURNING id`,
    [owner.userId, org.id, lead.id],
  );
  const leadImport = await owner.pm.leads.import(
    org.id,
    'Name,Email\nVictim Import,vi@example.com\n',
  );
  const template = await owner.pm.projects.templates.create(org.id, {
    projectId: project.id,
    name: 'Victim template',
  });
  const filter = await owner.pm.leads.filters.create(org.id, {
    name: 'Victim filter',
    query: { tag: 'victim' },
  });
  await seedEntries(server.db, org.id, [
    { userId: member.userId, projectId: project.id, taskId: task.id, start: REPORT_DAY },
  ]);

  const entry = await owner.pm.timeEntries.create(org.id, {
    task: task.id,
    startedAt: '2026-11-02T09:00:00Z',
    endedAt: '2026-11-02T10:00:00Z',
  });
  const lock = await owner.pm.timeLocks.create(org.id, { from: '2026-01-01', to: '2026-01-31' });

  const stranger = await signUp(server, 'stranger');
  const theirs = await stranger.pm.orgs.create({ name: 'Stranger Org' });
  // A member of the stranger's org, so member operations find someone to act on.
  await addMember(server, stranger, theirs.id, await signUp(server, 'stranger-member'), 'member');
  const strangerKey = await stranger.pm.apiKeys.create(theirs.id, {
    name: 'all',
    scopes: [
      'orgs:write',
      'members:write',
      'invitations:write',
      'audit:read',
      'leads:write',
      'time:write',
      'reports:read',
    ],
  });
  strangerOrg = theirs.id;
  strangerTokens = { session: stranger.accessToken, apiKey: strangerKey.secret };
  victim = {
    org: org.id,
    user: member.userId,
    invitation: invitation.id,
    key: key.id,
    session: session!.id,
    token,
    project: project.id,
    task: task.id,
    status: status!.id,
    lead: lead.id,
    leadStatus: leadStatus!.id,
    import: leadImport.id!,
    leadScoringRule: rule.id,
    notification: notified[0]!.id,
    field: field.id,
    milestone: milestone.id,
    template: template.id,
    filter: filter.id,
    entry: entry.id,
    lock: lock.id,
  };
});
afterAll(() => server.close());

/** The victim's objects of this kind (several for kinds such as `actor`). */
function victimIds(op: Operation, field: IdField): string[] {
  const kinds = KIND_ALIASES[field.kind] ?? [field.kind];
  return kinds.map((kind) => {
    const value = victim[kind];
    if (!value) {
      throw new Error(
        `No fixture for id kind "${field.kind}" (${field.in} ${field.name} of ${op.operation.operationId}): create a victim object of that kind in this test`,
      );
    }
    return value;
  });
}

interface Call {
  path: Record<string, string>;
  query: Record<string, string>;
  body: Record<string, unknown> | undefined;
}

/** The query parameters `op` requires, with sample values (a report's `from` and `to`). */
function requiredQuery(op: Operation): Record<string, string> {
  return Object.fromEntries(
    op.parameters
      .filter((p) => p.in === 'query' && p.required)
      .map((p) => [p.name, String(sample(deref(p.schema) as Schema))]),
  );
}

/** A schema-valid request for `op` with `values` in its id fields. */
function build(op: Operation, values: Map<IdField, string>): Call {
  const schema = bodySchema(op);
  const call: Call = {
    path: {},
    query: requiredQuery(op),
    body: op.bodyContentTypes.length ? (sample(schema) as Record<string, unknown>) : undefined,
  };
  for (const [field, value] of values) {
    if (field.in === 'body') setAt(call.body!, field.path, field.many ? [value] : value);
    else call[field.in][field.name] = value;
  }
  return call;
}

/** A small CSV, for operations whose body is a streamed file rather than JSON. */
const CSV_BODY = 'Name,Email\nStranger,s@example.com\n';

async function send(
  op: Operation,
  bearer: string,
  call: Call,
  headers: Record<string, string> = {},
) {
  const json = op.bodyContentTypes.includes('application/json');
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(call.path[name] ?? ''),
  );
  const query = new URLSearchParams(call.query).toString();
  const res = await server.fetch(`${server.url}${path}${query ? `?${query}` : ''}`, {
    method: op.method.toUpperCase(),
    headers: {
      Authorization: `Bearer ${bearer}`,
      ...headers,
      ...(call.body ? { 'Content-Type': json ? 'application/json' : op.bodyContentTypes[0]! } : {}),
    },
    ...(call.body ? { body: json ? JSON.stringify(call.body) : CSV_BODY } : {}),
  });
  return { status: res.status, text: await res.text() };
}

/** A body with the id sent and the per-request fields masked, to compare two answers. */
function normalize(text: string, id: string): unknown {
  if (!text) return text;
  const body = JSON.parse(text.replaceAll(id, '<id>')) as Record<string, unknown>;
  delete body.requestId;
  delete body.instance;
  return body;
}

const isPersonOnlyWithKey = (kind: string, id: string) =>
  kind === 'apiKey' && ['revokeSession', 'acceptInvitation'].includes(id);

describe('tenant isolation: the victim organization in the path', () => {
  for (const op of operations.filter((o) => o.parameters.some((p) => p.in === 'path'))) {
    const id = op.operation.operationId;
    if (CAPABILITY_OPERATIONS.has(id)) continue;
    it(`${id}: another organization's ids are 404`, async () => {
      const values = new Map(idFields(op).map((f) => [f, victimIds(op, f)[0]!]));
      const call = build(op, values);
      expect(schemaErrors(op, call), 'the request must pass the schema').toEqual([]);
      for (const [kind, bearer] of Object.entries(strangerTokens)) {
        const res = await send(op, bearer, call);
        // Person-only operations refuse API keys outright (403) before any id is looked at.
        expect(res.status, `${kind}: ${res.text}`).toBe(isPersonOnlyWithKey(kind, id) ? 403 : 404);
      }
    });
  }
});

describe("tenant isolation: the victim's ids under the stranger's own organization", () => {
  for (const op of operations) {
    const id = op.operation.operationId;
    // Tokens are secrets whose holder may learn what they are for: not ids to compare.
    const foreign = idFields(op).filter((f) => f.kind !== 'org' && f.kind !== 'token');
    if (foreign.length === 0 || CAPABILITY_OPERATIONS.has(id) || ONE_OF_BODIES.has(id)) continue;
    it(`${id}: ${foreign.map((f) => `${f.in} ${f.name}`).join(', ')} of another org answer as unknown ids`, async () => {
      const orgs = idFields(op).filter((f) => f.kind === 'org');
      for (const field of foreign) {
        for (const value of victimIds(op, field)) {
          const random = randomUUID();
          // The other ids are unknown ones, the same in both requests (details may name them).
          const others = new Map(foreign.map((f) => [f, randomUUID()]));
          const withValue = (v: string) =>
            build(
              op,
              new Map([
                ...orgs.map((f) => [f, strangerOrg] as const),
                ...foreign.map((f) => [f, f === field ? v : others.get(f)!] as const),
              ]),
            );
          const attack = withValue(value);
          expect(schemaErrors(op, attack), 'the request must pass the schema').toEqual([]);
          for (const [kind, bearer] of Object.entries(strangerTokens)) {
            const seen = await send(op, bearer, attack);
            const unknown = await send(op, bearer, withValue(random));
            const where = `${kind}, ${field.in} ${field.name} = ${value}`;
            expect({ status: seen.status, body: normalize(seen.text, value) }, where).toEqual({
              status: unknown.status,
              body: normalize(unknown.text, random),
            });
          }
        }
      }
    });
  }
});

describe("tenant isolation: the victim's keys (VIC, VIC-1)", () => {
  const keyed = operations.filter((o) =>
    o.parameters.some((p) => p.in === 'path' && (p.name === 'project' || p.name === 'task')),
  );
  for (const op of keyed) {
    const id = op.operation.operationId;
    it(`${id}: a key of another organization is 404, in the caller's organization or the victim's`, async () => {
      const values = new Map(
        idFields(op).map((f) => [
          f,
          f.name === 'project' && f.in === 'path'
            ? 'VIC'
            : f.name === 'task' && f.in === 'path'
              ? 'VIC-1'
              : randomUUID(),
        ]),
      );
      const call = build(op, values);
      expect(schemaErrors(op, call), 'the request must pass the schema').toEqual([]);
      for (const pmOrg of [strangerOrg, victim.org!]) {
        const res = await send(op, strangerTokens.session, call, { 'PM-Org': pmOrg });
        expect(res.status, `PM-Org ${pmOrg}: ${res.text}`).toBe(404);
      }
      // An API key acts in its own organization, whatever PM-Org says.
      const res = await send(op, strangerTokens.apiKey, call, { 'PM-Org': victim.org! });
      expect(res.status, res.text).toBe(404);
    });
  }
});

describe("tenant isolation: the time report's filters", () => {
  // Filters name projects (ids or keys) and people in comma-separated lists, which the id walk
  // above does not recognise: the victim's must answer in the stranger's report as unknown ones.
  it("the victim's projects and people answer as unknown ones", async () => {
    const op = operationsById.get('getTimeReport')!;
    const cases = [
      ['projects', victim.project!, randomUUID()],
      ['projects', 'VIC', 'NOSUCH'],
      ['users', victim.user!, randomUUID()],
    ] as const;
    for (const [filter, value, unknown] of cases) {
      const withValue = (v: string): Call => ({
        path: { org: strangerOrg },
        query: { from: '2030-01-01', to: '2030-01-01', [filter]: v },
        body: undefined,
      });
      for (const [kind, bearer] of Object.entries(strangerTokens)) {
        const seen = await send(op, bearer, withValue(value));
        const other = await send(op, bearer, withValue(unknown));
        expect(
          { status: seen.status, body: normalize(seen.text, value) },
          `${kind} ${filter}`,
        ).toEqual({ status: other.status, body: normalize(other.text, unknown) });
      }
    }
  });

  it("the stranger's own report holds none of the victim's time", async () => {
    const op = operationsById.get('getTimeReport')!;
    const own = await send(op, strangerTokens.session, {
      path: { org: strangerOrg },
      query: { from: '2030-01-01', to: '2030-01-01' },
      body: undefined,
    });
    expect(JSON.parse(own.text).total.entries).toBe(0);
  });
});

describe('tenant isolation: the aftermath', () => {
  it('nothing of the victim organization changed', async () => {
    const { rows } = await server.db.query<{ name: string }>(
      'SELECT name FROM orgs WHERE id = $1',
      [victim.org],
    );
    expect(rows[0]!.name).toBe('Victim Org');
    const { rows: members } = await server.db.query(
      'SELECT role FROM org_members WHERE org_id = $1 ORDER BY role',
      [victim.org],
    );
    expect(members).toEqual([{ role: 'member' }, { role: 'owner' }]);
    const { rows: keys } = await server.db.query('SELECT revoked_at FROM api_keys WHERE id = $1', [
      victim.key,
    ]);
    expect(keys).toEqual([{ revoked_at: null }]);
    const { rows: tasks } = await server.db.query(
      'SELECT title, version, deleted_at FROM tasks WHERE id = $1',
      [victim.task],
    );
    expect(tasks).toEqual([{ title: 'Victim task', version: 1, deleted_at: null }]);
    const { rows: projects } = await server.db.query(
      'SELECT name, version, archived_at, deleted_at FROM projects WHERE id = $1',
      [victim.project],
    );
    expect(projects).toEqual([
      { name: 'Victim project', version: 1, archived_at: null, deleted_at: null },
    ]);
    const { rows: leads } = await server.db.query(
      'SELECT name, deleted_at FROM leads WHERE org_id = $1 ORDER BY created_at, name',
      [victim.org],
    );
    expect(leads).toEqual([
      { name: 'Victim Lead', deleted_at: null },
      { name: 'Victim Import', deleted_at: null },
    ]);
    const { rows: statuses } = await server.db.query(
      'SELECT name FROM lead_statuses WHERE id = $1',
      [victim.leadStatus],
    );
    expect(statuses).toEqual([{ name: 'new' }]);
    const { rows: rules } = await server.db.query(
      'SELECT points FROM lead_scoring_rules WHERE id = $1',
      [victim.leadScoringRule],
    );
    expect(rules).toEqual([{ points: 20 }]);
    const { rows: converted } = await server.db.query(
      'SELECT version, converted_at, project_id FROM leads WHERE id = $1',
      [victim.lead],
    );
    expect(converted).toEqual([{ version: 1, converted_at: null, project_id: null }]);
    const { rows: filters } = await server.db.query('SELECT name FROM lead_filters WHERE id = $1', [
      victim.filter,
    ]);
    expect(filters).toEqual([{ name: 'Victim filter' }]);
    const { rows: unread } = await server.db.query(
      'SELECT read_at FROM notifications WHERE id = $1',
      [victim.notification],
    );
    expect(unread).toEqual([{ read_at: null }]);
  });

  it("the victim's field, milestone and template are untouched", async () => {
    const { rows: fields } = await server.db.query(
      'SELECT name, type FROM project_fields WHERE id = $1',
      [victim.field],
    );
    expect(fields).toEqual([{ name: 'Victim', type: 'text' }]);
    const { rows: milestones } = await server.db.query(
      'SELECT name, deleted_at FROM milestones WHERE id = $1',
      [victim.milestone],
    );
    expect(milestones).toEqual([{ name: 'Victim', deleted_at: null }]);
    const { rows: templates } = await server.db.query(
      'SELECT name, deleted_at FROM project_templates WHERE id = $1',
      [victim.template],
    );
    expect(templates).toEqual([{ name: 'Victim template', deleted_at: null }]);
  });

  it('every id kind in the contract has a victim fixture', () => {
    for (const op of operations) for (const field of idFields(op)) victimIds(op, field);
  });
});
