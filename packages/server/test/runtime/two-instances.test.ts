import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, failure, PASSWORD, signUp } from '../identity/helpers.js';

// Two app instances on one PostgreSQL database, each with its own credential cache: what one
// revokes, the other refuses as soon as the notice reaches it (LISTEN/NOTIFY; A answers only after
// its own copy came back, so B's usually has too). On a loaded machine B's event loop may lag a
// little, so B gets a short grace, far below the cache's 5 s lifetime. PGlite is one process.
const onPostgres = Boolean(process.env.PM_TEST_DATABASE_URL);

/** The refusal `call` meets once the notice arrived: retried for up to a second. */
async function refused(call: () => Promise<unknown>) {
  for (let i = 0; ; i++) {
    const outcome = await call().then(
      () => undefined,
      (error: unknown) => error,
    );
    if (outcome || i >= 20) return failure(outcome ? Promise.reject(outcome) : Promise.resolve());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  if (!onPostgres) return;
  a = await startTestServer();
  // One job queue: either instance may deliver a mail, so both send to A's mailbox.
  b = await startTestServer({ databaseUrl: a.databaseUrl!, config: { smtpUrl: a.mail.url } });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

describe.skipIf(!onPostgres)('two instances on one PostgreSQL (set PM_TEST_DATABASE_URL)', () => {
  it('a session signed out on A is refused by B at once', async () => {
    const user = await signUp(a, 'two-logout');
    const onB = b.client({ token: user.accessToken });
    await onB.me.get();
    await user.pm.auth.logout();
    expect((await refused(() => onB.me.get())).detail).toBe('Invalid token');
  });

  it('sessions ended by a password change on A are refused by B at once', async () => {
    const user = await signUp(a, 'two-password');
    const other = b.client();
    await other.auth.login({ email: user.email, password: PASSWORD });
    await other.me.get();
    await user.pm.me.changePassword({ currentPassword: PASSWORD, newPassword: 'new password 2' });
    expect((await refused(() => other.me.get())).status).toBe(401);
  });

  it('an API key revoked on A is refused by B at once', async () => {
    const owner = await signUp(a, 'two-key');
    const org = await owner.pm.orgs.create({ name: 'Two Keys' });
    const key = await owner.pm.apiKeys.create(org.id, { name: 'k', scopes: ['orgs:read'] });
    const onB = b.client({ apiKey: key.secret });
    await onB.orgs.get(org.id);
    await owner.pm.apiKeys.revoke(org.id, key.id);
    expect((await refused(() => onB.orgs.get(org.id))).detail).toBe('Invalid token');
  });

  it('a member removed or demoted on A loses access on B at once', async () => {
    const owner = await signUp(a, 'two-owner');
    const org = await owner.pm.orgs.create({ name: 'Two Members' });
    const admin = await signUp(a, 'two-admin');
    await addMember(a, owner, org.id, admin, 'admin');
    const adminOnB = b.client({ token: admin.accessToken });
    await adminOnB.invitations.list(org.id).toArray();
    await owner.pm.members.update(org.id, admin.userId, { role: 'viewer' });
    expect((await refused(() => adminOnB.invitations.list(org.id).toArray())).status).toBe(403);
    await adminOnB.orgs.get(org.id);
    await owner.pm.members.remove(org.id, admin.userId);
    expect((await refused(() => adminOnB.orgs.get(org.id))).status).toBe(404);
  });
});
