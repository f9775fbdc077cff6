import { afterEach, describe, expect, it } from 'vitest';
import { type AuditEvent, createClient } from '../src/index.js';
import { type Recorded, type Reply, type ScriptedServer, scriptedServer } from './server.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function client(reply: (r: Recorded) => Reply = () => ({ status: 204 })) {
  server = await scriptedServer(reply);
  return createClient({ baseUrl: server.url, token: 't', retry: false });
}

const requests = () => (server?.requests ?? []).map((r) => `${r.method} ${r.url}`);

const event = (id: number): AuditEvent => ({
  id,
  action: 'member.removed',
  actor: {
    kind: 'user',
    id: '00000000-0000-4000-8000-000000000001',
    email: 'ada@example.com',
    name: 'Ada',
  },
  entityId: null,
  changes: {},
  ip: null,
  requestId: null,
  createdAt: '2025-01-01T00:00:00.000Z',
});

describe('resource helpers', () => {
  it('percent-encodes path parameters', async () => {
    const pm = await client();
    await pm.members.remove('a/b c', 'me');
    await pm.invitations.decline('pmi_a/b?c#d');
    await pm.apiKeys.revoke('acme', 'x%y');
    expect(requests()).toEqual([
      'DELETE /v1/orgs/a%2Fb%20c/members/me',
      'POST /v1/invitations/pmi_a%2Fb%3Fc%23d/decline',
      'DELETE /v1/orgs/acme/api-keys/x%25y',
    ]);
  });

  it.each([[''], ['.'], ['..']])(
    'refuses %j as a path segment without sending anything',
    async (value) => {
      const pm = await client();
      await expect(pm.orgs.get(value)).rejects.toThrow(TypeError);
      await expect(pm.invitations.accept(value)).rejects.toThrow(
        /^invitation token must be a non-empty path segment/,
      );
      await expect(pm.members.list(value).toArray()).rejects.toThrow(TypeError);
      expect(requests()).toEqual([]);
    },
  );

  it('resolves 202 and 204 answers to undefined', async () => {
    const pm = await client((r) => ({ status: r.url.endsWith('reset') ? 202 : 204 }));
    await expect(pm.auth.requestPasswordReset('ada@example.com')).resolves.toBeUndefined();
    await expect(pm.members.leave('acme')).resolves.toBeUndefined();
    expect(requests()).toEqual(['POST /v1/auth/password-reset', 'POST /v1/orgs/acme/leave']);
    expect(JSON.parse(server?.requests[0]?.body ?? '')).toEqual({ email: 'ada@example.com' });
  });

  it('sends the caller’s Idempotency-Key on creates, and a fresh one otherwise', async () => {
    // This checks what is sent; the answers are placeholders, not the contract's.
    const pm = await client(() => ({ status: 201, body: {}, offContract: true }));
    await pm.invitations.create('acme', { email: 'g@example.com' }, { idempotencyKey: 'k-1' });
    await pm.apiKeys.create('acme', { name: 'CI', scopes: ['tasks:write'] });
    const [invite, key] = server?.requests ?? [];
    expect(invite?.headers['idempotency-key']).toBe('k-1');
    expect(key?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(key?.body ?? '')).toEqual({ name: 'CI', scopes: ['tasks:write'] });
  });

  it('pages the audit log with its filters on every page, and Dates as ISO strings', async () => {
    const pm = await client((r) => {
      const cursor = new URL(r.url, 'http://x').searchParams.get('cursor');
      return cursor
        ? { status: 200, body: { items: [event(1)], nextCursor: null } }
        : { status: 200, body: { items: [event(3), event(2)], nextCursor: 'c2' } };
    });
    const events = await pm.audit
      .list('acme', {
        action: 'member.removed',
        since: new Date('2025-01-01T00:00:00Z'),
        until: '2025-02-01T00:00:00Z',
        limit: 2,
      })
      .toArray();
    expect(events.map((e) => e.id)).toEqual([3, 2, 1]);
    const query = (i: number) =>
      Object.fromEntries(new URL(server?.requests[i]?.url ?? '', 'http://x').searchParams);
    const filters = {
      action: 'member.removed',
      since: '2025-01-01T00:00:00.000Z',
      until: '2025-02-01T00:00:00Z',
      limit: '2',
    };
    expect(query(0)).toEqual(filters);
    expect(query(1)).toEqual({ ...filters, cursor: 'c2' });
  });

  it('lists sessions, members, invitations and keys at their paths', async () => {
    const pm = await client(() => ({ status: 200, body: { items: [], nextCursor: null } }));
    await pm.me.sessions.list({ limit: 5 });
    await pm.members.list('acme');
    await pm.invitations.list('acme');
    await pm.apiKeys.list('acme', { limit: 1 });
    expect(requests()).toEqual([
      'GET /v1/me/sessions?limit=5',
      'GET /v1/orgs/acme/members',
      'GET /v1/orgs/acme/invitations',
      'GET /v1/orgs/acme/api-keys?limit=1',
    ]);
  });

  it('sends the bodies the contract names', async () => {
    // This checks what is sent; the answers are placeholders, not the contract's.
    const pm = await client((r) => ({
      status: r.method === 'PATCH' ? 200 : 204,
      body: {},
      offContract: true,
    }));
    await pm.me.changePassword({ currentPassword: 'old', newPassword: 'new password!' });
    await pm.orgs.transferOwnership('acme', 'u-1');
    await pm.members.update('acme', 'u-1', { role: 'admin' });
    await pm.auth.verifyEmail('pmv_1');
    await pm.me.sessions.revoke('s-1');
    expect(requests()).toEqual([
      'POST /v1/me/password',
      'POST /v1/orgs/acme/transfer-ownership',
      'PATCH /v1/orgs/acme/members/u-1',
      'POST /v1/auth/verify-email',
      'DELETE /v1/me/sessions/s-1',
    ]);
    expect(server?.requests.map((r) => (r.body ? JSON.parse(r.body) : null))).toEqual([
      { currentPassword: 'old', newPassword: 'new password!' },
      { userId: 'u-1' },
      { role: 'admin' },
      { token: 'pmv_1' },
      null,
    ]);
  });
});
