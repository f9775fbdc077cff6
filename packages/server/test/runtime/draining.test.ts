import { connect } from 'node:net';
import { checkResponse, startTestServer } from '@pmkit/server/testing';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/types.js';

/** /ready's `SELECT 1` waits for `gate` to open: a request held in flight as long as a test wants. */
function gated(gate: { wait: Promise<void> | undefined }) {
  return (db: Database): Database => ({
    kind: db.kind,
    query: (async (sql: string, params?: unknown[]) => {
      if (sql === 'SELECT 1' && gate.wait) await gate.wait;
      return db.query(sql, params);
    }) as Database['query'],
    exec: (sql) => db.exec(sql),
    transaction: (work) => db.transaction(work),
    close: () => db.close(),
    ...(db.listen ? { listen: db.listen.bind(db) } : {}),
  });
}

/** Sends raw HTTP/1.1 on one keep-alive connection; resolves to everything read until it closes. */
function rawExchange(port: number, requests: string[]) {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (chunk) => {
    text += chunk.toString('latin1');
  });
  const ended = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(text));
    socket.on('error', () => resolve(text));
  });
  socket.write(requests.join(''));
  return { ended, send: (request: string) => socket.write(request) };
}

/** The payload of a body sent in one chunk (its size line, the data, the last chunk). */
const chunked = (body: string) => (/^[0-9a-f]+\r\n/.test(body) ? body.split('\r\n')[1]! : body);

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;

describe('shutting down', () => {
  it('a request on a kept-alive connection while draining gets a documented 503', async () => {
    let open!: () => void;
    const gate = {
      wait: new Promise<void>((resolve) => (open = resolve)) as Promise<void> | undefined,
    };
    const server = await startTestServer({ wrapDatabase: gated(gate) });
    const port = Number(new URL(server.url).port);
    // The connection is busy with the held /ready when draining starts, so it stays open; the
    // next request on it arrives while the server drains.
    const exchange = rawExchange(port, [get('/ready')]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closing = server.close();
    exchange.send(get('/v1/meta'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    open();
    const text = await exchange.ended;
    await closing;
    const responses = text.split(/(?=HTTP\/1\.1 )/);
    expect(responses.map((r) => r.slice(0, 12))).toEqual(['HTTP/1.1 200', 'HTTP/1.1 503']);
    const refusal = responses[1]!;
    expect(refusal).toMatch(/\r\nretry-after: \d+\r\n/i);
    expect(refusal).toMatch(/\r\nx-request-id: \S+\r\n/i);
    expect(refusal).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
    // And the contract's own check of a 503 of /v1/meta: documented, headers and body.
    const [head, ...rest] = refusal.split('\r\n\r\n') as [string, ...string[]];
    const body = rest.join('\r\n\r\n');
    const headers = new Headers(
      head
        .split('\r\n')
        .slice(1)
        .map((line) => line.split(/:\s*/, 2) as [string, string]),
    );
    await checkResponse(
      'GET',
      `${server.url}/v1/meta`,
      new Response(chunked(body), { status: 503, headers }),
    );
  });

  it('after the shutdown timeout, a request still in flight is cut off and close resolves', async () => {
    const gate = { wait: new Promise<void>(() => {}) as Promise<void> | undefined };
    const server = await startTestServer({
      wrapDatabase: gated(gate),
      config: { shutdownTimeoutSeconds: 1 },
    });
    const port = Number(new URL(server.url).port);
    const exchange = rawExchange(port, [get('/ready')]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    await server.close();
    const took = Date.now() - started;
    expect(await exchange.ended, 'no answer, the connection was closed').toBe('');
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(5000);
  });
});
