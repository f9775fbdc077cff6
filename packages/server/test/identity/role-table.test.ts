import { randomUUID } from 'node:crypto';
import { contractValidator } from '@pmkit/server';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OPERATION_ACCESS,
  PERMISSIONS,
  ROLES,
  type Role,
  roleRank,
} from '../../src/modules/access/permissions.js';
import { type Account, addMember, signUp } from './helpers.js';

type OperationId = keyof typeof OPERATION_ACCESS;
type Request = { params?: Record<string, string>; body?: unknown };

interface Fixture {
  orgId: string;
  takenSlug: string;
  memberEmail: string;
}

/**
 * For each organization operation: parameters and a body that pass validation and authorization,
 * then fail harmlessly (an unknown id, a taken slug), so every role can be tried on one org.
 */
const REQUESTS: Partial<Record<OperationId, (f: Fixture) => Request>> = {
  getOrg: () => ({}),
  updateOrg: (f) => ({ body: { slug: f.takenSlug } }),
  transferOwnership: () => ({ body: { userId: randomUUID() } }),
  listMembers: () => ({}),
  updateMember: () => ({ params: { user: randomUUID() }, body: { role: 'viewer' } }),
  removeMember: () => ({ params: { user: randomUUID() } }),
  listInvitations: () => ({}),
  createInvitation: (f) => ({ body: { email: f.memberEmail, role: 'viewer' } }),
  revokeInvitation: () => ({ params: { invitation: randomUUID() } }),
  resendInvitation: () => ({ params: { invitation: randomUUID() } }),
  listApiKeys: () => ({}),
  createApiKey: () => ({
    body: { name: 'x', scopes: ['orgs:read'], expiresAt: '2001-01-01T00:00:00Z' },
  }),
  revokeApiKey: () => ({ params: { key: randomUUID() } }),
  listAuditEvents: () => ({}),
};

const opsById = new Map(contractValidator().operations.map((op) => [op.operation.operationId, op]));

let server: TestServer;
let fixture: Fixture;
const people = new Map<Role, Account>();

async function call(id: string, token: string, request: Request) {
  const op = opsById.get(id)!;
  const params: Record<string, string> = { org: fixture.orgId, ...request.params };
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(params[name] ?? ''),
  );
  const res = await server.fetch(`${server.url}${path}`, {
    method: op.method.toUpperCase(),
    headers: {
      Authorization: `Bearer ${token}`,
      ...(request.body ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(request.body ? { body: JSON.stringify(request.body) } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    detail: text ? ((JSON.parse(text) as { detail?: string }).detail ?? '') : '',
  };
}

beforeAll(async () => {
  server = await startTestServer();
  const owner = await signUp(server, 'owner');
  people.set('owner', owner);
  const org = await owner.pm.orgs.create({ name: 'Role Table' });
  const other = await owner.pm.orgs.create({ name: 'Slug Holder' });
  for (const role of ROLES.filter((r) => r !== 'owner')) {
    const person = await signUp(server, role);
    await addMember(server, owner, org.id, person, role);
    people.set(role, person);
  }
  fixture = { orgId: org.id, takenSlug: other.slug, memberEmail: people.get('viewer')!.email };
});
afterAll(() => server.close());

describe('the role table, walked on the live server', () => {
  it('covers every organization operation', () => {
    const orgOperations = Object.entries(OPERATION_ACCESS)
      .filter(([id, access]) => access.kind === 'org' && id !== 'leaveOrg')
      .map(([id]) => id);
    expect(Object.keys(REQUESTS).sort()).toEqual(orgOperations.sort());
  });

  for (const [id, build] of Object.entries(REQUESTS)) {
    const access = OPERATION_ACCESS[id as OperationId];
    if (access.kind !== 'org') continue;
    const needed = PERMISSIONS[access.permission].role;
    it(`${id} needs ${access.permission} (${needed})`, async () => {
      for (const role of ROLES) {
        const { status, detail } = await call(id, people.get(role)!.accessToken, build(fixture));
        if (roleRank(role) >= roleRank(needed)) {
          expect([401, 403], `${role}: ${status} ${detail}`).not.toContain(status);
        } else {
          expect(status, `${role}: ${detail}`).toBe(403);
          expect(detail).toContain(access.permission);
        }
      }
    });
  }

  it('leaveOrg: anyone may leave, but the last Owner', async () => {
    for (const role of ROLES) {
      const { status } = await call('leaveOrg', people.get(role)!.accessToken, {});
      expect(status, role).toBe(role === 'owner' ? 409 : 204);
    }
  });
});

describe('API keys: scopes on top of roles', () => {
  it('a key acts with exactly its scopes; person-only permissions are never granted to keys', async () => {
    const owner = await signUp(server, 'keyowner');
    const org = await owner.pm.orgs.create({ name: 'Key Table' });
    const other = await owner.pm.orgs.create({ name: 'Key Slug' });
    const saved = fixture;
    fixture = { orgId: org.id, takenSlug: other.slug, memberEmail: owner.email };
    try {
      for (const [id, build] of Object.entries(REQUESTS)) {
        const access = OPERATION_ACCESS[id as OperationId];
        if (access.kind !== 'org') continue;
        const scope: string | null = PERMISSIONS[access.permission].scope;
        const unrelated = scope?.startsWith('audit') ? 'tasks:write' : 'audit:read';
        const { secret: without } = await owner.pm.apiKeys.create(org.id, {
          name: 'without',
          scopes: [unrelated as 'audit:read'],
        });
        const refused = await call(id, without, build(fixture));
        expect(refused.status, `${id} without its scope`).toBe(403);
        if (!scope) {
          expect(refused.detail).toContain('sign in as a person');
          continue;
        }
        const { secret: withScope } = await owner.pm.apiKeys.create(org.id, {
          name: 'with',
          scopes: [scope as 'audit:read'],
        });
        const allowed = await call(id, withScope, build(fixture));
        expect(allowed.status, `${id} with ${scope}: ${allowed.detail}`).not.toBe(403);
      }
    } finally {
      fixture = saved;
    }
  });
});
