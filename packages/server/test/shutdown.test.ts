import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { assertFreshBuild } from '@pmkit/server/testing';
import { beforeAll, describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/slow-ready-server.mjs', import.meta.url));
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Runs a fixture server and waits for its listening line; its output keeps accumulating. */
async function startFixture(path: string) {
  const child = spawn(process.execPath, [path], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /"url":"([^"]+)"/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.on('exit', () => reject(new Error(`server exited early:\n${output}`)));
  });
  return { child, exited, url, output: () => output };
}

describe('graceful shutdown (of the built package)', () => {
  beforeAll(() => {
    assertFreshBuild(
      here('../dist/index.js'),
      [here('../src'), here('../../../openapi.yaml')],
      'npm run build -w @pmkit/server',
    );
  });

  it('on SIGTERM finishes the request in flight, refuses new ones, and exits 0', async () => {
    const { child, exited, url, output } = await startFixture(fixture);

    const inFlight = fetch(`${url}/ready`, { headers: { Connection: 'close' } });
    await new Promise((resolve) => setTimeout(resolve, 400));
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));

    await expect(fetch(`${url}/health`)).rejects.toThrow();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', database: 'pglite' });
    expect(await exited).toBe(0);
    expect(output()).toContain('"signal":"SIGTERM"');
    expect(output()).toContain('pmkit server stopped');
    expect(output()).not.toMatch(/"level":50/);
  }, 60_000);

  it('on SIGTERM finishes a write in flight: it is answered and committed, then exit 0', async () => {
    const { child, exited, url, output } = await startFixture(
      here('./fixtures/slow-write-server.mjs'),
    );
    const registered = await fetch(`${url}/v1/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        email: 'w@example.com',
        password: 'a long enough password',
        name: 'W',
      }),
    });
    const { accessToken } = (await registered.json()) as { accessToken: string };
    const write = fetch(`${url}/v1/orgs`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${accessToken}`,
        'Content-Type': 'application/json',
        Connection: 'close',
      },
      body: JSON.stringify({ name: 'Written during shutdown' }),
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    child.kill('SIGTERM');
    const response = await write;
    expect(response.status).toBe(201);
    expect(await exited).toBe(0);
    expect(output()).toContain('{"committed":["Written during shutdown"]}');
    expect(output()).not.toMatch(/"level":50/);
  }, 60_000);
});
