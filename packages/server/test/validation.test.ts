import { Writable } from 'node:stream';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Problem {
  type: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}

let server: TestServer;
const logLines: string[] = [];
beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  server = await startTestServer({ logger: pino({ level: 'debug' }, sink) });
});
afterAll(() => server.close());

const post = (path: string, body: string | null, headers: Record<string, string> = {}) =>
  server.fetch(`${server.url}${path}`, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

describe('request validation against the contract', () => {
  it('lists every invalid field with its JSON path', async () => {
    const res = await post(
      '/v1/auth/register',
      JSON.stringify({ email: 'not-an-email', password: 'short', nickname: 'x' }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as Problem;
    expect(problem.type).toBe('https://pmkit.dev/problems/validation');
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { path: '/body/email', message: 'must match format "email"' },
        { path: '/body/password', message: 'must NOT have fewer than 10 characters' },
        { path: '/body/name', message: 'is required' },
        { path: '/body/nickname', message: 'is not allowed' },
      ]),
    );
    expect(problem.errors).toHaveLength(4);
    expect(problem.detail).toBe('4 invalid fields');
  });

  it('validates query parameters, coercing their types', async () => {
    const res = await server.fetch(`${server.url}/v1/orgs?limit=0&colour=blue`, {
      headers: { Authorization: 'Bearer x' },
    });
    // Authentication runs after validation, so the shape of the request is judged first.
    expect(res.status).toBe(400);
    const problem = (await res.json()) as Problem;
    expect(problem.errors).toHaveLength(2);
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { path: '/query/limit', message: 'must be >= 1' },
        { path: '/query/colour', message: 'is not allowed' },
      ]),
    );
  });

  it('refuses a missing body', async () => {
    const res = await post('/v1/auth/login', null);
    expect(res.status).toBe(400);
    expect(((await res.json()) as Problem).errors).toEqual([
      { path: '/body', message: 'is required' },
    ]);
  });

  it('refuses malformed JSON', async () => {
    const res = await post('/v1/auth/login', '{"email": ');
    expect(res.status).toBe(400);
    expect(((await res.json()) as Problem).detail).toBe('The request body is not valid JSON');
  });

  it('refuses a body that is not JSON with 415', async () => {
    const res = await post('/v1/auth/login', 'email=a@b.c', {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(415);
  });

  it('refuses a 10 MB body with 413', async () => {
    const big = JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(10 * 1024 * 1024) });
    const res = await post('/v1/auth/login', big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as Problem).type).toBe(
      'https://pmkit.dev/problems/payload-too-large',
    );
  });

  it('logs none of these with a stack trace', () => {
    const logged = logLines.join('');
    expect(logged).toContain('"status":413');
    expect(logged).not.toMatch(/"stack"|\n\s+at /);
    expect(logged).not.toContain('"level":50');
  });
});

describe('unexpected failures', () => {
  it('answer 500 with a generic problem, and log the cause once', async () => {
    const reg = await post(
      '/v1/auth/register',
      JSON.stringify({
        email: 'broken@example.com',
        password: 'a long enough password',
        name: 'B',
      }),
    );
    const { accessToken } = (await reg.json()) as { accessToken: string };
    await server.db.query('ALTER TABLE org_members RENAME TO org_members_gone');
    try {
      const res = await fetch(`${server.url}/v1/orgs`, {
        headers: { Authorization: `Bearer ${accessToken}` },
      });
      expect(res.status).toBe(500);
      const problem = (await res.json()) as Problem & { requestId: string };
      expect(problem).toMatchObject({ status: 500, detail: 'Internal server error' });
      expect(JSON.stringify(problem)).not.toMatch(/org_members|stack|at /);
      const logged = logLines.filter(
        (line) => line.includes(problem.requestId) && line.includes('"level":50'),
      );
      expect(logged).toHaveLength(1);
      expect(logged[0]).toContain('org_members');
    } finally {
      await server.db.query('ALTER TABLE org_members_gone RENAME TO org_members');
    }
  });
});

describe('values no database can store are 400s naming the field', () => {
  const register = (fields: Record<string, unknown>) =>
    post(
      '/v1/auth/register',
      JSON.stringify({
        email: 'odd@example.com',
        password: 'long enough pw',
        name: 'x',
        ...fields,
      }),
    );
  const fieldsOf = async (res: Response) =>
    ((await res.json()) as Problem).errors?.map((e) => e.path) ?? [];

  it('a NUL character in a body string', async () => {
    const res = await register({ name: 'Ada\u0000Lovelace' });
    expect(res.status).toBe(400);
    expect(await fieldsOf(res)).toEqual(['/body/name']);
  });

  it('an unpaired surrogate in a body string', async () => {
    const res = await register({ name: 'Ada \ud800' });
    expect(res.status).toBe(400);
    expect(await fieldsOf(res)).toEqual(['/body/name']);
  });

  it('a NUL character in a path segment and in a query value', async () => {
    const headers = { Authorization: 'Bearer nope' };
    const path = await server.fetch(`${server.url}/v1/orgs/a%00b`, { headers });
    expect(path.status).toBe(400);
    expect(await fieldsOf(path)).toEqual(['/path/org']);
    const query = await server.fetch(`${server.url}/v1/orgs?cursor=a%00b`, { headers });
    expect(query.status).toBe(400);
    expect(await fieldsOf(query)).toEqual(['/query/cursor']);
  });

  it('an encoded surrogate (invalid UTF-8) in a path segment or a query value', async () => {
    const headers = { Authorization: 'Bearer nope' };
    // The router keeps an undecodable segment as sent, and query strings decode invalid UTF-8 to
    // U+FFFD: both are storable, so the request goes on and the token is what fails.
    const path = await server.fetch(`${server.url}/v1/orgs/a%ED%A0%80b`, { headers });
    expect(path.status).toBe(401);
    const query = await server.fetch(`${server.url}/v1/orgs?cursor=%ED%A0%80`, { headers });
    expect(query.status).toBe(401);
  });

  it('a date in year 0000', async () => {
    const res = await server.fetch(`${server.url}/v1/orgs/acme/api-keys`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer nope' },
      body: JSON.stringify({ name: 'k', scopes: ['orgs:read'], expiresAt: '0000-01-01T00:00:00Z' }),
    });
    expect(res.status).toBe(400);
    expect(await fieldsOf(res)).toEqual(['/body/expiresAt']);
  });
});

describe('paths', () => {
  it('with a trailing slash are not the contract’s paths: 404, as the contract check expects', async () => {
    const res = await server.fetch(`${server.url}/v1/orgs/acme/`, {
      headers: { Authorization: 'Bearer nope' },
    });
    expect(res.status).toBe(404);
  });
});
