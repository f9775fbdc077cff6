import { startServer } from '@pmkit/server';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const get = (path: string, init?: RequestInit) => server.fetch(`${server.url}${path}`, init);

describe('system endpoints', () => {
  it('GET /health answers ok', async () => {
    const res = await get('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /ready checks the database', async () => {
    const res = await get('/ready');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', database: server.db.kind });
  });

  it('GET /v1/meta names the version and the database', async () => {
    const body = (await (await get('/v1/meta')).json()) as { version: string };
    expect(body).toMatchObject({ name: 'pmkit', database: server.db.kind, registration: 'open' });
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('GET /openapi.yaml serves the contract', async () => {
    const res = await get('/openapi.yaml');
    expect(res.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(await res.text()).toMatch(/^openapi: 3\.1\.0/);
  });

  it('GET /docs renders a reference page whose assets are served locally', async () => {
    const html = await (await get('/docs')).text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      expect(asset.startsWith('/docs/assets/'), asset).toBe(true);
      const res = await fetch(`${server.url}${asset}`);
      expect(res.status, asset).toBe(200);
      expect((await res.arrayBuffer()).byteLength, asset).toBeGreaterThan(10);
    }
  });
});

describe('request ids', () => {
  it('echoes a sane X-Request-Id', async () => {
    const res = await get('/health', { headers: { 'X-Request-Id': 'ci-run-42.step:3' } });
    expect(res.headers.get('x-request-id')).toBe('ci-run-42.step:3');
  });

  it('generates one when none or an unsafe one is sent', async () => {
    const plain = await get('/health');
    expect(plain.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await get('/health', { headers: { 'X-Request-Id': 'a b<script>' } });
    expect(unsafe.headers.get('x-request-id')).not.toContain('<');
  });
});

describe('unknown routes', () => {
  it('answers 404 with a problem document', async () => {
    const res = await get('/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { requestId: string };
    expect(problem).toMatchObject({
      status: 404,
      title: 'Not Found',
      detail: 'No route for GET /v1/nothing-here',
    });
    expect(problem.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('answers 405 with Allow for a method the path does not have', async () => {
    const res = await get('/health', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toContain('GET');
    expect(((await res.json()) as { type: string }).type).toBe(
      'https://pmkit.dev/problems/method-not-allowed',
    );
  });
});

describe('start-up', () => {
  it('refuses a port in use with a message naming it, and keeps the database open', async () => {
    const port = Number(new URL(server.url).port);
    await expect(
      startServer({ db: server.db, port, host: '127.0.0.1', logger: pino({ level: 'silent' }) }),
    ).rejects.toThrow(`Port ${port} on 127.0.0.1 is in use; choose another with --port or PM_PORT`);
    expect((await get('/ready')).status).toBe(200);
  });
});
