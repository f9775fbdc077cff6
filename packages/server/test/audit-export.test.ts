import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditService } from '../src/modules/audit/service.js';
import { addMember, signUp } from './identity/helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('the audit log as CSV', () => {
  it('streams every event by Accept or format=, neutralising formula-like cells', async () => {
    const owner = await signUp(server, 'auditor');
    const slug = `export-${process.pid}`;
    await owner.pm.orgs.create({ name: 'Export', slug });
    // A request id is the caller's to choose, and lands in a cell: a spreadsheet must not run it.
    const renamed = await server.fetch(`${server.url}/v1/orgs/${slug}`, {
      method: 'PATCH',
      headers: {
        Authorization: `Bearer ${owner.accessToken}`,
        'Content-Type': 'application/json',
        'X-Request-Id': '@cmd:calc',
      },
      body: JSON.stringify({ name: 'Export, Inc.' }),
    });
    expect(renamed.status).toBe(200);
    const events = await owner.pm.audit.list(slug).toArray();

    const get = (query: string, accept: string) =>
      server.fetch(`${server.url}/v1/orgs/${slug}/audit${query}`, {
        headers: { Authorization: `Bearer ${owner.accessToken}`, Accept: accept },
      });
    const byAccept = await get('', 'text/csv');
    expect(byAccept.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await byAccept.text()).trimEnd().split('\n');
    expect(lines[0]).toBe('id,time,action,actor_kind,actor_id,entity_id,ip,request_id,changes');
    expect(lines).toHaveLength(events.length + 1);
    const renameLine = lines.find((line) => line.includes('org.updated'));
    expect(renameLine).toContain(",'@cmd:calc,");
    expect(renameLine).toContain('"{""name"":""Export, Inc.""}"');

    const byFormat = await get('?format=csv', 'application/json');
    expect(byFormat.headers.get('content-type')).toMatch(/^text\/csv/);
    expect((await byFormat.text()).trimEnd().split('\n')).toHaveLength(events.length + 1);

    const stream = await owner.pm.audit.exportCsv(slug);
    expect((await new Response(stream).text()).split('\n')[0]).toMatch(/^id,time,action/);
  });

  it('answers 406 for a format it does not offer, and keeps the role rule', async () => {
    const owner = await signUp(server, 'auditor');
    const viewer = await signUp(server, 'viewer');
    const slug = `export-roles-${process.pid}`;
    await owner.pm.orgs.create({ name: 'Roles', slug });
    await addMember(server, owner, slug, viewer, 'viewer');
    const pdf = await server.fetch(`${server.url}/v1/orgs/${slug}/audit`, {
      headers: { Authorization: `Bearer ${owner.accessToken}`, Accept: 'application/pdf' },
    });
    expect(pdf.status).toBe(406);
    const refused = await server.fetch(`${server.url}/v1/orgs/${slug}/audit?format=csv`, {
      headers: { Authorization: `Bearer ${viewer.accessToken}` },
    });
    expect(refused.status).toBe(403);
  });

  it('reads in short keyset pages, so an export of any length holds nothing open', async () => {
    const owner = await signUp(server, 'auditor');
    const slug = `export-pages-${process.pid}`;
    const org = await owner.pm.orgs.create({ name: 'Pages', slug });
    for (const name of ['One', 'Two', 'Three', 'Four', 'Five']) {
      await owner.pm.orgs.update(slug, { name });
    }
    const audit = new AuditService(server.db);
    const context = { ...org, role: 'owner' as const, createdAt: new Date(org.createdAt) };
    const pages: number[][] = [];
    for await (const page of audit.export(context, {}, 2)) pages.push(page.map((e) => e.id));
    expect(pages.every((page) => page.length <= 2)).toBe(true);
    const listed = (await owner.pm.audit.list(slug).toArray()).map((e) => e.id);
    expect(pages.flat()).toEqual(listed);
  });
});
