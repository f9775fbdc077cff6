import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { assertFreshBuild, startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { tempDir } from './helpers.js';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../bin/pm.cjs', import.meta.url));
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

describe('the pm binary (built dist)', () => {
  let server: TestServer;
  beforeAll(async () => {
    assertFreshBuild(
      here('../dist/pm.js'),
      [here('../src'), here('../../sdk/src')],
      'npm run build -w @pmkit/sdk -w @pmkit/cli',
    );
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  const pm = (args: string[]) =>
    run(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH, PM_CONFIG_DIR: tempDir(), PM_SERVER: server.url },
    });

  it('pm --version prints the package version', async () => {
    const { stdout, stderr } = await pm(['--version']);
    expect(stdout).toBe(`${pkg.version}\n`);
    expect(stderr).toBe('');
  });

  it('pm status --json talks to a real server', async () => {
    const { stdout } = await pm(['status', '--json']);
    expect(JSON.parse(stdout)).toMatchObject({ server: server.url, reachable: true, user: null });
  });

  it('pm exits 2 on an unknown command', async () => {
    const error = await pm(['bogus']).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^error: unknown command 'bogus'/),
    });
  });
});
