import { createHash, randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const register = (body: object, key?: string) =>
  server.fetch(`${server.url}/v1/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) },
    body: JSON.stringify(body),
  });

const account = (email: string) => ({
  email,
  password: 'a long enough password',
  name: 'Idem Potent',
});

describe('Idempotency-Key', () => {
  it('replays the first response to a retry with the same key and body', async () => {
    const session = (await (await register(account('idem0@example.com'))).json()) as {
      accessToken: string;
    };
    const createOrg = () =>
      server.fetch(`${server.url}/v1/orgs`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${session.accessToken}`,
          'Idempotency-Key': 'create-acme-once',
        },
        body: JSON.stringify({ name: 'Replayed Inc.' }),
      });
    const first = await createOrg();
    expect(first.status).toBe(201);
    const retry = await createOrg();
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual(await first.json());
    const { rows } = await server.db.query(
      `SELECT count(*)::int AS n FROM orgs WHERE name = 'Replayed Inc.'`,
    );
    expect(rows[0]).toEqual({ n: 1 });
  });

  it('never keeps a response that carried a secret: its replay is a 409 saying it succeeded', async () => {
    const key = randomUUID();
    const first = await register(account('idem1@example.com'), key);
    expect(first.status).toBe(201);
    const { refreshToken } = (await first.json()) as { refreshToken: string };

    const retry = await register(account('idem1@example.com'), key);
    expect(retry.status).toBe(409);
    const problem = (await retry.json()) as { type: string; detail: string };
    expect(problem.type).toBe('https://pmkit.dev/problems/idempotent-replay-withheld');
    expect(problem.detail).toContain('already succeeded (201)');

    const { rows } = await server.db.query<{ body: string | null; redacted: boolean }>(
      'SELECT body, redacted FROM idempotency_keys WHERE key = $1',
      [key],
    );
    expect(rows).toEqual([{ body: null, redacted: true }]);
    const { rows: all } = await server.db.query<{ body: string | null }>(
      'SELECT body FROM idempotency_keys',
    );
    expect(all.some((r) => r.body?.includes(refreshToken))).toBe(false);
    const { rows: users } = await server.db.query(
      'SELECT count(*)::int AS n FROM users WHERE email = $1',
      ['idem1@example.com'],
    );
    expect(users[0]).toEqual({ n: 1 });
  });

  it('refuses the same key with another body with 422 and changes nothing', async () => {
    const key = randomUUID();
    expect((await register(account('idem2@example.com'), key)).status).toBe(201);
    const other = await register(account('idem3@example.com'), key);
    expect(other.status).toBe(422);
    expect(((await other.json()) as { type: string }).type).toBe(
      'https://pmkit.dev/problems/idempotency-key-reused',
    );
    const { rows } = await server.db.query(
      'SELECT count(*)::int AS n FROM users WHERE email = $1',
      ['idem3@example.com'],
    );
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('without a key, a repeated write is executed again', async () => {
    expect((await register(account('idem4@example.com'))).status).toBe(201);
    expect((await register(account('idem4@example.com'))).status).toBe(409);
  });

  it('does not keep a failed first attempt, so a corrected retry can use the key', async () => {
    const key = randomUUID();
    expect((await register(account('idem4@example.com'), key)).status).toBe(409);
    const { rows } = await server.db.query(
      'SELECT count(*)::int AS n FROM idempotency_keys WHERE key = $1',
      [key],
    );
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('keys are scoped to the caller', async () => {
    const key = randomUUID();
    const sessions = await Promise.all(
      ['scope-a@example.com', 'scope-b@example.com'].map(async (email) => {
        const res = await register(account(email));
        return (await res.json()) as { accessToken: string };
      }),
    );
    const bodies = await Promise.all(
      sessions.map(async (session, i) => {
        const res = await server.fetch(`${server.url}/v1/orgs`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Authorization: `Bearer ${session.accessToken}`,
            'Idempotency-Key': key,
          },
          body: JSON.stringify({ name: `Scoped ${i}` }),
        });
        expect(res.status).toBe(201);
        return (await res.json()) as { id: string };
      }),
    );
    expect(bodies[0]!.id).not.toBe(bodies[1]!.id);
  });

  it('answers 409 while the first request is in flight, and frees a key whose request died', async () => {
    const key = randomUUID();
    const body = account('idem6@example.com');
    // The row the first attempt leaves while it runs: the request's fingerprint, no response yet,
    // and a heartbeat its request renews while it runs (every 10 s of a 30 s lease).
    const fingerprint = createHash('sha256')
      .update(`POST /v1/auth/register\n${JSON.stringify(body)}`)
      .digest('hex');
    const claim = (age: string) =>
      server.db.query(
        `INSERT INTO idempotency_keys (scope, key, method, path, request_hash, created_at, heartbeat_at)
         VALUES ('anonymous', $1, 'POST', '/v1/auth/register', $2, now() - interval '1 hour', now() - $3::interval)
         ON CONFLICT (scope, key) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at`,
        [key, fingerprint, age],
      );
    // Running for an hour, still beating: not taken over.
    await claim('5 seconds');
    const busy = await register(body, key);
    expect(busy.status).toBe(409);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(((await busy.json()) as { type: string }).type).toBe(
      'https://pmkit.dev/problems/idempotency-key-in-progress',
    );
    // Its heartbeat stopped a lease ago: its process is gone, and the key is free.
    await claim('31 seconds');
    expect((await register(body, key)).status).toBe(201);
  });

  it('answers 409 with Retry-After to a retry that overtakes its first attempt', async () => {
    const key = randomUUID();
    const body = account('idem7@example.com');
    const [a, b] = await Promise.all([register(body, key), register(body, key)]);
    const statuses = [a.status, b.status].sort();
    // One of them ran; the other either saw it in flight (409) or, if it came after, a withheld replay (409).
    expect(statuses).toEqual([201, 409]);
    const loser = a.status === 409 ? a : b;
    expect([
      'https://pmkit.dev/problems/idempotency-key-in-progress',
      'https://pmkit.dev/problems/idempotent-replay-withheld',
    ]).toContain(((await loser.json()) as { type: string }).type);
  });

  it('expires keys after 24 hours (and not before)', async () => {
    // A write without a secret, whose replay and rerun differ: a replay returns the first
    // organization, a rerun creates another. (A replayed register would be a 409 either way.)
    const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
    const timed = await startTestServer({ clock });
    try {
      let session = await timed.client().auth.register(account('idem5@example.com'));
      const key = randomUUID();
      const createOrg = async () => {
        // Access tokens live minutes: a fresh one for each day.
        session = await timed.client().auth.refresh(session.refreshToken);
        const res = await timed.fetch(`${timed.url}/v1/orgs`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${session.accessToken}`,
            'Content-Type': 'application/json',
            'Idempotency-Key': key,
          },
          body: JSON.stringify({ name: 'Once a day' }),
        });
        return { status: res.status, body: (await res.json()) as { id?: string; detail?: string } };
      };
      const first = await createOrg();
      expect(first.status).toBe(201);
      clock.offsetMs = 23 * 3600_000;
      expect(await createOrg(), 'replayed within 24 hours').toEqual(first);
      clock.offsetMs = 25 * 3600_000;
      // Run again, the write meets the organization it created: its slug is taken.
      const rerun = await createOrg();
      expect(rerun.status, `a new write after 24 hours: ${rerun.body.detail}`).toBe(409);
    } finally {
      await timed.close();
    }
  });
});
