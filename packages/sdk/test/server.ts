import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkResponse } from '@pmkit/server/testing';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number;
  /** A reply the contract does not describe, on purpose (a proxy's 502, a garbled body). */
  offContract?: boolean;
}

/** Return a Reply, or 'destroy' to cut the connection without an answer. */
export type Script = (request: Recorded, index: number) => Reply | 'destroy';

export interface ScriptedServer {
  url: string;
  requests: Recorded[];
  /** Replies the contract does not describe and the script did not mark `offContract`. */
  violations: string[];
  /** Closes the server; throws when a reply broke the contract (the real server's check). */
  close(): Promise<void>;
}

/** A throwaway HTTP server on 127.0.0.1 that answers each request as the test scripts it. */
export async function scriptedServer(script: Script): Promise<ScriptedServer> {
  const requests: Recorded[] = [];
  const violations: string[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded: Recorded = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(recorded);
    const reply = script(recorded, requests.length - 1);
    if (reply === 'destroy') {
      req.socket.destroy();
      return;
    }
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    const isText = typeof reply.body === 'string';
    const payload: string =
      reply.body === undefined ? '' : isText ? (reply.body as string) : JSON.stringify(reply.body);
    const contentType =
      reply.status >= 400 ? 'application/problem+json' : 'application/json; charset=utf-8';
    const headers = {
      'x-request-id': 'scripted',
      ...(payload && !isText ? { 'content-type': contentType } : {}),
      ...reply.headers,
    };
    if (!reply.offContract) {
      // The same check the real test server's fetch runs on every answer.
      await checkResponse(
        recorded.method,
        `http://127.0.0.1${recorded.url}`,
        new Response([204, 304].includes(reply.status) ? null : payload, {
          status: reply.status,
          headers,
        }),
      ).catch((e: Error) => violations.push(e.message));
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    violations,
    async close() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      if (violations.length)
        throw new Error(`Scripted replies off the contract:\n${violations.join('\n')}`);
    },
  };
}

export const problem = (status: number, detail: string, extra: object = {}) => ({
  type: `https://pmkit.dev/problems/${status}`,
  title: 'Problem',
  status,
  detail,
  ...extra,
});

export const fastRetry = { retries: 2, minDelayMs: 1, maxDelayMs: 20 };

export const user = {
  id: '00000000-0000-4000-8000-000000000001',
  email: 'ada@example.com',
  name: 'Ada',
  timezone: 'UTC',
  avatarUrl: null,
  emailVerified: false,
  preferences: {},
  createdAt: '2025-01-01T00:00:00.000Z',
};

export const session = (n: number) => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  expiresIn: 900,
  tokenType: 'Bearer',
  user,
});
