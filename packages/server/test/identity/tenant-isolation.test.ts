import { contractValidator } from '@pmkit/server';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, signUp } from './helpers.js';

/**
 * Every operation of the contract that takes an id in its path, called by someone of another
 * organization with ids of this one: always 404, never 403. The list comes from openapi.yaml, so a
 * new route with a new kind of id fails here until it is added.
 */
const operations = contractValidator().operations.filter((op) =>
  op.parameters.some((p) => p.in === 'path'),
);

// Tokens are capabilities rather than ids: looking an invitation up and declining it only need
// the token, by design.
const CAPABILITY_OPERATIONS = new Set(['getInvitation', 'declineInvitation']);

let server: TestServer;
let ids: Record<string, string>;
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

  const stranger = await signUp(server, 'stranger');
  const theirs = await stranger.pm.orgs.create({ name: 'Stranger Org' });
  const strangerKey = await stranger.pm.apiKeys.create(theirs.id, {
    name: 'all',
    scopes: ['orgs:write', 'members:write', 'invitations:write', 'audit:read'],
  });
  strangerTokens = { session: stranger.accessToken, apiKey: strangerKey.secret };
  ids = {
    org: org.id,
    user: member.userId,
    invitation: invitation.id,
    key: key.id,
    session: session!.id,
    token,
  };
});
afterAll(() => server.close());

const BODIES: Record<string, unknown> = {
  updateOrg: { name: 'Pwned' },
  updateMember: { role: 'owner' },
  transferOwnership: { userId: '00000000-0000-4000-8000-000000000000' },
  createInvitation: { email: 'spy@example.com', role: 'owner' },
  createApiKey: { name: 'backdoor', scopes: ['orgs:write'] },
};

describe('tenant isolation', () => {
  for (const op of operations) {
    const id = op.operation.operationId;
    if (CAPABILITY_OPERATIONS.has(id)) continue;
    it(`${id}: another organization's ids are 404`, async () => {
      for (const [kind, bearer] of Object.entries(strangerTokens)) {
        const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
          const value = ids[name];
          if (!value) throw new Error(`No fixture id for {${name}} of ${id}: add one to this test`);
          return encodeURIComponent(value);
        });
        const body = op.bodyContentTypes.length ? (BODIES[id] ?? {}) : undefined;
        const res = await server.fetch(`${server.url}${path}`, {
          method: op.method.toUpperCase(),
          headers: {
            Authorization: `Bearer ${bearer}`,
            ...(body ? { 'Content-Type': 'application/json' } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        // Person-only operations refuse API keys outright (403) before any id is looked at.
        const expected =
          kind === 'apiKey' && ['revokeSession', 'acceptInvitation'].includes(id) ? 403 : 404;
        expect(res.status, `${kind}: ${await res.text()}`).toBe(expected);
      }
    });
  }

  it('nothing of the victim organization changed', async () => {
    const { rows } = await server.db.query<{ name: string }>(
      'SELECT name FROM orgs WHERE id = $1',
      [ids.org],
    );
    expect(rows[0]!.name).toBe('Victim Org');
    const { rows: members } = await server.db.query(
      'SELECT role FROM org_members WHERE org_id = $1 ORDER BY role',
      [ids.org],
    );
    expect(members).toEqual([{ role: 'member' }, { role: 'owner' }]);
  });
});
