import { afterEach, describe, expect, it } from 'vitest';
import { createClient, isPmError, PmError } from '../src/index.js';
import { problem, type ScriptedServer, scriptedServer } from './server.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function failure(reply: Parameters<typeof scriptedServer>[0]): Promise<PmError> {
  server = await scriptedServer(reply);
  const pm = createClient({ baseUrl: server.url, retry: false });
  const error = await pm.raw.GET('/v1/me').catch((e: unknown) => e);
  if (!isPmError(error)) throw new Error(`expected a PmError, got ${String(error)}`);
  return error;
}

describe('PmError', () => {
  it('carries the problem document, field errors and the request id', async () => {
    const body = problem(400, '2 invalid fields', {
      type: 'https://pmkit.dev/problems/validation',
      title: 'Invalid request',
      errors: [{ path: '/body/email', message: 'must match format "email"' }],
    });
    const error = await failure(() => ({
      status: 400,
      headers: { 'x-request-id': 'req-1' },
      body,
    }));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('PmError');
    expect(error.message).toBe('2 invalid fields');
    expect(error).toMatchObject({
      status: 400,
      type: 'https://pmkit.dev/problems/validation',
      title: 'Invalid request',
      detail: '2 invalid fields',
      requestId: 'req-1',
      errors: [{ path: '/body/email', message: 'must match format "email"' }],
    });
    expect(error.problem).toEqual(body);
  });

  it('makes a sensible error of a non-problem body', async () => {
    const error = await failure(() => ({
      status: 502,
      headers: { 'content-type': 'text/html' },
      body: '<h1>Bad gateway</h1>',
      offContract: true, // a proxy's answer, not ours
    }));
    expect(error).toMatchObject({ status: 502, type: 'about:blank', title: 'Bad Gateway' });
    expect(error.detail).toBe('<h1>Bad gateway</h1>');
    expect(error.errors).toEqual([]);
  });

  it('uses a JSON message field and an empty body', async () => {
    // Another server's error shapes, which the SDK still reads sensibly.
    const json = await failure(() => ({
      status: 418,
      body: { message: 'teapot' },
      offContract: true,
    }));
    expect(json).toMatchObject({ status: 418, detail: 'teapot' });
    await server?.close();
    const empty = await failure(() => ({ status: 404, offContract: true }));
    expect(empty).toMatchObject({ status: 404, title: 'Not Found', detail: 'Not Found' });
  });

  it('is not confused with other errors', () => {
    expect(isPmError(new Error('x'))).toBe(false);
    expect(isPmError(new PmError({ type: 'about:blank', title: 't', status: 409 }))).toBe(true);
  });
});
