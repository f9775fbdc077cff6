// The packed tarball, installed the way a user installs it, from a CommonJS and an ESM project.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { assertFreshBuild, startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const sdkDir = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// Each script registers, then reads the account back: a round trip through the whole client.
const body = `
const pm = createClient({ baseUrl: process.env.PM_SERVER });
const session = await pm.auth.register({ email: process.env.EMAIL, name: 'Pack', password: 'correct horse battery staple' });
const me = await pm.me.get();
const health = await pm.system.health();
console.log(JSON.stringify({ id: session.user.id === me.id, email: me.email, health: health.status }));
`;

const projects = {
  commonjs: {
    file: 'index.js',
    source: `const { createClient } = require('@pmkit/sdk');\n(async () => {${body}})().catch((e) => { console.error(e); process.exit(1); });\n`,
  },
  module: {
    file: 'index.js',
    source: `import { createClient } from '@pmkit/sdk';\n${body}`,
  },
} as const;

describe('the packed @pmkit/sdk', () => {
  let server: TestServer;
  let root: string;
  let tarball: string;
  let files: string[] = [];

  beforeAll(async () => {
    assertFreshBuild(
      join(sdkDir, 'dist/index.cjs'),
      [join(sdkDir, 'src')],
      'npm run build -w @pmkit/sdk',
    );
    root = mkdtempSync(join(tmpdir(), 'pmkit-sdk-pack-'));
    const [server_, packed] = await Promise.all([
      startTestServer(),
      exec(npm, ['pack', '--json', '--pack-destination', root], { cwd: sdkDir }),
    ]);
    server = server_;
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = join(root, info?.filename ?? '');
    files = (info?.files ?? []).map((f) => f.path);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('ships its README, LICENSE, both builds and their type declarations', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'README.md',
        'LICENSE',
        'package.json',
        'dist/index.js',
        'dist/index.cjs',
        'dist/index.d.ts',
        'dist/index.d.cts',
        'dist/schema.d.ts',
        'dist/schema.d.cts',
      ]),
    );
  });

  for (const [type, project] of Object.entries(projects)) {
    it(`works from a "type": "${type}" project`, { timeout: 120_000 }, async () => {
      const dir = join(root, type);
      mkdirSync(dir);
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({ name: `pack-${type}`, private: true, type }),
      );
      writeFileSync(join(dir, project.file), project.source);
      // Its dependencies come from npm's cache, filled by the repository's own install.
      await exec(
        npm,
        ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball],
        { cwd: dir },
      );
      const email = `pack-${type}@example.com`;
      const { stdout } = await exec(process.execPath, [project.file], {
        cwd: dir,
        env: { PATH: process.env.PATH, PM_SERVER: server.url, EMAIL: email },
      });
      expect(JSON.parse(stdout)).toEqual({ id: true, email, health: 'ok' });
    });
  }
});
