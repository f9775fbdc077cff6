import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { assertFreshBuild, startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const bin = fileURLToPath(new URL('../bin/pm.cjs', import.meta.url));
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The identity issue's CI scenario, as a CI job runs it: the built `pm` in child processes with
 * no TTY and CI=true, two people each with their own config, the token read from the real mail.
 */
describe('a CI script invites a teammate (built pm, no TTY)', () => {
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

  const as =
    (configDir: string) =>
    (args: string[], stdin = '') =>
      new Promise<Result>((resolve) => {
        const child = execFile(
          process.execPath,
          [bin, ...args],
          {
            env: {
              PATH: process.env.PATH,
              CI: 'true',
              PM_CONFIG_DIR: configDir,
              PM_SERVER: server.url,
            },
          },
          (error, stdout, stderr) =>
            resolve({
              code: error ? Number((error as { code?: number }).code ?? 1) : 0,
              stdout,
              stderr,
            }),
        );
        child.stdin?.end(stdin);
      });

  it('creates an org, invites, the invitee accepts from the mail and is a Member who cannot remove members', async () => {
    const owner = as(tempDir());
    const invitee = as(tempDir());

    expect(
      (
        await owner(
          ['auth', 'register', '--email', 'lead@example.com', '--name', 'Lead', '--password-stdin'],
          'lead password 123\n',
        )
      ).code,
    ).toBe(0);
    expect((await owner(['org', 'create', 'CI Org', '--slug', 'ci-org', '--switch'])).code).toBe(0);
    const mark = server.mail.mark();
    expect((await owner(['org', 'invite', 'dev@example.com'])).code).toBe(0);
    const token = await server.mail.token('dev@example.com', /invited you to CI Org/, {
      after: mark,
    });

    // Without a TTY nothing prompts: a missing flag is named, with exit 2.
    const noPassword = await invitee(['auth', 'register', '--email', 'dev@example.com']);
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toMatch(/--password-stdin/);

    expect(
      (
        await invitee(
          ['auth', 'register', '--email', 'dev@example.com', '--name', 'Dev', '--password-stdin'],
          'dev password 1234\n',
        )
      ).code,
    ).toBe(0);
    expect((await invitee(['invite', 'accept', token, '--switch'])).code).toBe(0);
    const orgs = JSON.parse((await invitee(['org', 'list', '--json'])).stdout) as {
      slug: string;
      role: string;
    }[];
    expect(orgs).toEqual([expect.objectContaining({ slug: 'ci-org', role: 'member' })]);

    const denied = await invitee(['org', 'remove', 'lead@example.com']);
    expect(denied.code).toBe(3);
    expect(denied.stderr).toMatch(/^error: .*members:manage/);

    const removed = await owner(['org', 'remove', 'dev@example.com']);
    expect(removed.code).toBe(0);
    const members = JSON.parse((await owner(['org', 'members', '--json'])).stdout) as {
      email: string;
    }[];
    expect(members.map((m) => m.email)).toEqual(['lead@example.com']);
  });
});
