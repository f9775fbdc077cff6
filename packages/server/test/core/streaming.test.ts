import type { AddressInfo } from 'node:net';
import { PassThrough, Readable, Writable } from 'node:stream';
import { createClient, PmError, streamedBody } from '@pmkit/sdk';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractRouter } from '../../src/http/contract-router.js';
import { ContractValidator, type OpenApiDocument } from '../../src/http/contract-validator.js';
import type { Handlers } from '../../src/http/handler-types.js';
import { createHttpApp } from '../../src/http/http-app.js';
import { type IdempotencyRecord, idempotency } from '../../src/http/idempotency.js';
import { isStreamedBody, type StreamedBody } from '../../src/http/request-body.js';
import { fixtureContract } from './fixture-contract.js';

// The core drives a capability's shapes (a CSV upload, a negotiated report, a long write) through
// a small contract of its own, served by the same router, stages and HTTP shell as the app.
let server: TestServer;
let baseUrl: string;
let closeFixture: () => Promise<void>;
const logLines: string[] = [];
let uploadsRun = 0;
let slowStarted: () => void = () => {};
let consumed: (bytes: number) => void = () => {};
const shutdown = new AbortController();

async function countLines(body: StreamedBody) {
  let bytes = 0;
  let lines = 0;
  for await (const chunk of body.stream as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    consumed(chunk.length);
    for (const byte of chunk) if (byte === 10) lines++;
  }
  return { bytes, lines, sha256: await body.digest() };
}

const handlers = {
  upload: async ({ body }: { body: unknown }) => {
    uploadsRun++;
    if (isStreamedBody(body)) return { status: 201, body: await countLines(body) };
    const rows = (body as { rows: string[] }).rows;
    return { status: 201, body: { bytes: 0, lines: rows.length, sha256: 'json' } };
  },
  uploadSmall: async ({ body }: { body: unknown }) => ({
    status: 201,
    body: await countLines(body as StreamedBody),
  }),
  slowUpload: async ({ body }: { body: unknown }) => {
    uploadsRun++;
    slowStarted();
    return { status: 201, body: await countLines(body as StreamedBody) };
  },
  recordedUpload: async ({
    body,
    ctx,
  }: {
    body: unknown;
    ctx: { state: Record<string, unknown> };
  }) => {
    uploadsRun++;
    const result = await countLines(body as StreamedBody);
    const record = ctx.state.idempotency as IdempotencyRecord;
    await server.db.transaction(async (tx) => {
      await tx.query('SELECT 1');
      await record.record(tx, { status: 201, body: result });
    });
    // The work and its record committed; the process dies before it can answer.
    throw new Error('crashed after commit');
  },
  report: async ({ format }: { format: string }) =>
    format === 'text/csv'
      ? { status: 200, contentType: 'text/csv', body: Readable.from(['a,b\n', '1,2\n']) }
      : { status: 200, body: { rows: [{ a: 1, b: 2 }] } },
  events: async ({ ctx }: { ctx: { state: { shutdown: AbortSignal } } }) => {
    // An endless stream, as an event stream is: it ends only when the server shuts down.
    const stream = new PassThrough();
    const tick = setInterval(() => stream.write('event: tick\n\n'), 20);
    const end = () => {
      clearInterval(tick);
      stream.end('event: bye\n\n');
    };
    if (ctx.state.shutdown.aborted) end();
    else ctx.state.shutdown.addEventListener('abort', end, { once: true });
    return { status: 200, contentType: 'text/event-stream', body: stream };
  },
  broken: async () => ({
    status: 200,
    contentType: 'text/csv',
    body: Readable.from(
      (async function* () {
        yield 'a,b\n';
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('the report query failed mid-way');
      })(),
    ),
  }),
};

beforeAll(async () => {
  server = await startTestServer();
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  );
  const router = contractRouter({
    validator: new ContractValidator(fixtureContract as unknown as OpenApiDocument),
    handlers: handlers as unknown as Handlers,
    bodyLimits: { json: '1mb', streamed: '100mb' },
    stages: [idempotency(server.db, { ttlHours: 24, leaseSeconds: 0.3, now: () => new Date() })],
  });
  const http = createHttpApp({ logger, router, shutdown: shutdown.signal }).listen(0, '127.0.0.1');
  await new Promise((resolve) => http.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  closeFixture = () => new Promise((resolve) => http.close(() => resolve()));
});
afterAll(async () => {
  await closeFixture();
  await server.close();
});

type Loose = (
  path: string,
  init: Record<string, unknown>,
) => Promise<{ data?: unknown; response: Response }>;
const sdk = () => createClient({ baseUrl, retry: false });
const post = (path: string, init: Record<string, unknown>) =>
  (sdk().raw.POST as unknown as Loose)(path, init);

function csv(
  rows: number,
  line = 'ada@example.com,Ada Lovelace,Analytical Engines Ltd,+44 20 7946 0000\n',
) {
  return (async function* () {
    for (let i = 0; i < rows; i++) yield line;
  })();
}

const upload = (path: string, source: AsyncIterable<string> | string, key?: string) => {
  const options = streamedBody(source, 'text/csv');
  return post(path, {
    ...options,
    headers: { ...options.headers, ...(key ? { 'Idempotency-Key': key } : {}) },
  });
};

describe('a streamed request body', () => {
  it('reaches its handler as a stream: 50 MB through the SDK, never held whole', async () => {
    // Client and server share this process, so the bytes produced but not yet consumed by the
    // handler are countable: buffering the body anywhere would let that backlog reach 50 MB.
    const line = `${'x'.repeat(1023)}\n`;
    let backlog = 0;
    let peakBacklog = 0;
    consumed = (bytes) => {
      backlog -= bytes;
    };
    const source = (async function* () {
      for (let i = 0; i < 50 * 1024; i++) {
        backlog += line.length;
        peakBacklog = Math.max(peakBacklog, backlog);
        yield line;
      }
    })();
    const { data } = await upload('/v1/uploads', source);
    consumed = () => {};
    expect(data).toMatchObject({ bytes: 50 * 1024 * 1024, lines: 50 * 1024 });
    expect(peakBacklog).toBeLessThan(8 * 1024 * 1024);
  });

  it('accepts JSON too where the operation offers both', async () => {
    const { data } = await post('/v1/uploads', { body: { rows: ['a', 'b', 'c'] } });
    expect(data).toMatchObject({ lines: 3, sha256: 'json' });
  });

  it('is refused with 413 past the operation’s limit, while streaming or from its length', async () => {
    const streaming = await upload('/v1/uploads/small', csv(40_000)).catch((e: unknown) => e);
    expect(streaming).toBeInstanceOf(PmError);
    expect((streaming as PmError).status).toBe(413);
    const declared = await fetch(`${baseUrl}/v1/uploads/small`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(declared.status).toBe(413);
    // The connection stays usable after a refused upload.
    const after = await fetch(`${baseUrl}/v1/uploads/small`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'a\nb\n',
    });
    expect(after.status).toBe(201);
  });

  it('is a 415 in a type the operation does not take, and a 400 when required and absent', async () => {
    const wrongType = await fetch(`${baseUrl}/v1/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'a,b',
    });
    expect(wrongType.status).toBe(415);
    expect(((await wrongType.json()) as { detail: string }).detail).toMatch(/text\/csv/);
    const none = await fetch(`${baseUrl}/v1/uploads/small`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
    });
    expect(none.status).toBe(400);
  });
});

describe('a streamed write under an Idempotency-Key', () => {
  it('replays the same file and refuses another file under the same key with 422', async () => {
    const key = `upload-${Date.now()}`;
    const first = await upload('/v1/uploads', csv(1000), key);
    const runs = uploadsRun;
    const again = await upload('/v1/uploads', csv(1000), key);
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
    expect(again.data).toEqual(first.data);
    expect(uploadsRun).toBe(runs);
    const other = await upload('/v1/uploads', csv(1001), key).catch((e: unknown) => e);
    expect((other as PmError).status).toBe(422);
  });

  it('keeps its claim while the request runs, past the lease', async () => {
    const key = `slow-${Date.now()}`;
    const started = new Promise<void>((resolve) => {
      slowStarted = resolve;
    });
    const slow = upload(
      '/v1/uploads/slow',
      (async function* () {
        for (let i = 0; i < 12; i++) {
          yield 'row\n';
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })(),
      key,
    );
    await started;
    await new Promise((resolve) => setTimeout(resolve, 800)); // well past the 0.3 s lease
    const retry = await upload('/v1/uploads/slow', 'row\n', key).catch((e: unknown) => e);
    expect((retry as PmError).status).toBe(409);
    expect((retry as PmError).type).toMatch(/idempotency-key-in-progress$/);
    expect((await slow).data).toMatchObject({ lines: 12 });
  });

  it('keeps a result recorded in the work’s own transaction, even when the answer is lost', async () => {
    const key = `recorded-${Date.now()}`;
    const lost = await upload('/v1/uploads/recorded', csv(10), key).catch((e: unknown) => e);
    expect((lost as PmError).status).toBe(500);
    const runs = uploadsRun;
    const retry = await upload('/v1/uploads/recorded', csv(10), key);
    expect(retry.response.status).toBe(201);
    expect(retry.data).toMatchObject({ lines: 10 });
    expect(uploadsRun).toBe(runs);
  });
});

describe('a negotiated answer', () => {
  const report = (query = '', headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}/v1/report${query}`, { headers });

  it('is CSV by Accept or by format=, JSON by default', async () => {
    const byAccept = await report('', { Accept: 'text/csv' });
    expect(byAccept.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await byAccept.text()).toBe('a,b\n1,2\n');
    const byFormat = await report('?format=csv', { Accept: 'application/json' });
    expect(byFormat.headers.get('content-type')).toMatch(/^text\/csv/);
    const plain = await report();
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await plain.json()).toEqual({ rows: [{ a: 1, b: 2 }] });
  });

  it('is a 406 when nothing acceptable is offered', async () => {
    const res = await report('', { Accept: 'application/pdf' });
    expect(res.status).toBe(406);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('comes back through the SDK as a stream', async () => {
    const { data } = await (sdk().raw.GET as unknown as Loose)('/v1/report', {
      params: { query: { format: 'csv' } },
      parseAs: 'stream',
    });
    expect(await new Response(data as ReadableStream).text()).toBe('a,b\n1,2\n');
  });

  it('that fails after it started is cut off and logged, not swallowed', async () => {
    const res = await fetch(`${baseUrl}/v1/broken`);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const logged = logLines.join('');
    expect(logged).toContain('response failed after it started');
    expect(logged).toContain('the report query failed mid-way');
  });
});

describe('shutting down', () => {
  it('ends a long-lived response at once instead of waiting out the drain timeout', async () => {
    const res = await fetch(`${baseUrl}/v1/events`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('event: tick');
    shutdown.abort();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toMatch(/event: bye\n\n$/);
  });
});
