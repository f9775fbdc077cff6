import type { Lead, PmClient, PmError } from '@pmkit/sdk';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, addMember, failure, signUp } from '../identity/helpers.js';

let server: TestServer;
let owner: Account;
let manager: Account;
let member: Account;
let org: string;
/** The Manager, acting in the org (project keys are resolved in it). */
let mgr: PmClient;

beforeAll(async () => {
  server = await startTestServer();
  owner = await signUp(server, 'convert-owner');
  org = (await owner.pm.orgs.create({ name: 'Convert Org' })).id;
  manager = await signUp(server, 'convert-manager');
  member = await signUp(server, 'convert-member');
  await addMember(server, owner, org, manager, 'manager');
  await addMember(server, owner, org, member, 'member');
  mgr = server.client({ token: manager.accessToken, org });
});
afterAll(() => server.close());

const wonLead = (name: string, extra: Partial<Lead> = {}) =>
  member.pm.leads.create(org, {
    name,
    email: `${name.toLowerCase().replace(/\W/g, '')}@example.com`,
    status: 'won',
    ...(extra.company ? { company: extra.company } : {}),
  });

const events = async (entityId: string) =>
  (
    await server.db.query<{ entity: string; action: string; changes: Record<string, unknown> }>(
      'SELECT entity, action, changes FROM events WHERE entity_id = $1 ORDER BY id',
      [entityId],
    )
  ).rows;

describe('converting a lead into a project', () => {
  it('creates the project linked both ways, in one transaction with an event each', async () => {
    const lead = await wonLead('Maison Dupont', { company: 'Dupont SARL' });
    const { lead: converted, project } = await mgr.leads.convert(lead.id, {
      key: 'DUP',
      name: 'Dupont house',
      startDate: '2026-03-02',
    });
    expect(project).toMatchObject({
      key: 'DUP',
      name: 'Dupont house',
      leadId: lead.id,
      startDate: '2026-03-02',
      // The lead's company is the project's client unless the body names one.
      clientName: 'Dupont SARL',
    });
    expect(converted).toMatchObject({
      id: lead.id,
      projectId: project.id,
      status: 'won',
      version: lead.version + 1,
    });
    expect(converted.convertedAt).not.toBeNull();
    expect(await mgr.leads.get(lead.id)).toEqual(converted);
    expect((await mgr.projects.get('DUP')).leadId).toBe(lead.id);
    expect((await mgr.projects.statuses.list('DUP')).map((s) => s.name)).toContain('Done');
    expect((await events(lead.id)).at(-1)).toEqual({
      entity: 'lead',
      action: 'converted',
      changes: { projectId: project.id, projectKey: 'DUP' },
    });
    expect((await events(project.id))[0]).toMatchObject({
      entity: 'project',
      action: 'created',
      changes: { key: 'DUP', leadId: lead.id },
    });
  });

  it('refuses a lead that is not won (409 lead-not-won), creating nothing', async () => {
    const open = await member.pm.leads.create(org, { name: 'Open', email: 'open@example.com' });
    const refused = await failure(mgr.leads.convert(open.id, { key: 'OPEN', name: 'x' }));
    expect(refused.status).toBe(409);
    expect(refused.problem.type).toBe('https://pmkit.dev/problems/lead-not-won');
    expect(refused.problem.detail).toContain('new (open)');
    expect((await failure(mgr.projects.get('OPEN'))).status).toBe(404);
    // A status of the won category, whatever its name, may convert.
    await mgr.leads.statuses.create(org, { name: 'Signed', category: 'won' });
    await member.pm.leads.update(open.id, { status: 'signed' });
    expect((await mgr.leads.convert(open.id, { key: 'OPEN', name: 'x' })).project.key).toBe('OPEN');
  });

  it('refuses converting twice (409 naming the project), and a taken key leaves the lead as it was', async () => {
    const lead = await wonLead('Twice');
    const taken = await failure(mgr.leads.convert(lead.id, { key: 'DUP', name: 'x' }));
    expect(taken.status).toBe(409);
    expect(taken.problem.type).toBe('https://pmkit.dev/problems/project-key-taken');
    expect(await mgr.leads.get(lead.id)).toEqual(lead);
    const first = await mgr.leads.convert(lead.id, { key: 'TWICE', name: 'Once' });
    const again = await failure(mgr.leads.convert(lead.id, { key: 'AGAIN', name: 'x' }));
    expect(again.status).toBe(409);
    expect(again.problem.type).toBe('https://pmkit.dev/problems/lead-already-converted');
    expect(again.problem.detail).toContain(`project TWICE (${first.project.id})`);
    expect((await failure(mgr.projects.get('AGAIN'))).status).toBe(404);
  });

  it('two converts of one lead at once: one project, the other 409', async () => {
    const lead = await wonLead('Race');
    const outcomes = await Promise.allSettled(
      ['RACEA', 'RACEB'].map((key) => mgr.leads.convert(lead.id, { key, name: key })),
    );
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o) => o.status === 'rejected')!.reason as PmError;
    expect(refused.problem.type).toBe('https://pmkit.dev/problems/lead-already-converted');
    const { rows } = await server.db.query('SELECT key FROM projects WHERE lead_id = $1', [
      lead.id,
    ]);
    expect(rows).toHaveLength(1);
  });

  it('from a template: its workflow and tasks, dates from startDate', async () => {
    await mgr.projects.create(org, { key: 'TPL', name: 'Template source' });
    await mgr.tasks.create('TPL', { title: 'Kick-off' });
    const template = await mgr.projects.templates.create(org, {
      projectId: 'TPL',
      name: 'Renovation',
    });
    const lead = await wonLead('Templated', { company: 'Reno Ltd' });
    const { project, lead: converted } = await mgr.leads.convert(lead.id, {
      key: 'RENO',
      name: 'Renovation',
      templateId: template.id,
      startDate: '2026-05-04',
      clientName: 'Someone else',
    });
    expect(project).toMatchObject({ leadId: lead.id, startDate: '2026-05-04' });
    expect(project.clientName).toBe('Someone else');
    expect(converted.projectId).toBe(project.id);
    const tasks = await mgr.tasks.list('RENO').toArray();
    expect(tasks.map((t) => t.title)).toEqual(['Kick-off']);
    const unknown = await failure(
      mgr.leads.convert((await wonLead('No template')).id, {
        key: 'NOTPL',
        name: 'x',
        templateId: '00000000-0000-4000-8000-000000000000',
      }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.errors.map((e) => e.path)).toEqual(['/body/templateId']);
  });

  it('is for Managers (Members cannot create projects); a deleted lead is 404', async () => {
    const lead = await wonLead('Mine to sell');
    expect(
      (await failure(member.pm.leads.convert(lead.id, { key: 'MINE', name: 'x' }))).status,
    ).toBe(403);
    await member.pm.leads.delete(lead.id);
    expect(
      (await failure(owner.pm.leads.convert(lead.id, { key: 'GONE', name: 'x' }))).status,
    ).toBe(404);
  });

  it('an API key needs both projects:write and leads:write', async () => {
    const lead = await wonLead('Keyed');
    const withScopes = async (scopes: ('projects:write' | 'leads:write')[]) => {
      const { secret } = await owner.pm.apiKeys.create(org, { name: 'convert', scopes });
      return server.client({ token: secret });
    };
    for (const scope of ['projects:write', 'leads:write'] as const) {
      const refused = await failure(
        (await withScopes([scope])).leads.convert(lead.id, { key: 'KEY', name: 'x' }),
      );
      expect(refused.status).toBe(403);
      expect(refused.problem.detail).toContain('lacks the');
    }
    const both = await withScopes(['projects:write', 'leads:write']);
    expect((await both.leads.convert(lead.id, { key: 'KEY', name: 'x' })).project.leadId).toBe(
      lead.id,
    );
  });

  it('stats count a converted lead as won, whatever its status now', async () => {
    const statsOrg = (await owner.pm.orgs.create({ name: 'Convert Stats' })).id;
    const make = (status: string) =>
      owner.pm.leads.create(statsOrg, { name: 'S', email: 's@example.com', status });
    const sold = await make('won');
    await make('lost');
    await make('new');
    await owner.pm.leads.convert(sold.id, { key: 'SOLD', name: 'Sold' });
    // Moved on after the sale (a pipeline reused for upsells): still a conversion.
    await owner.pm.leads.update(sold.id, { status: 'lost' });
    const stats = await owner.pm.leads.stats(statsOrg);
    expect(stats.conversion).toEqual({ won: 1, lost: 1, converted: 1, rate: 0.5 });
  });
});
