// Runs the README's tour as a newcomer would: `npm start` in the clone, then the tour's code block
// as written, in a shell with no terminal, in the clone. Fails on any failing line, on a file the
// tour leaves in the clone, and on `npm start` not stopping cleanly on SIGTERM. `.ci/run` runs it;
// it needs port 4680 (the tour's URLs) to be free. Its account and profile live in a temporary
// HOME, its database in a temporary PM_DATA_DIR.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const TOUR_MARK = '<!-- tour:';

/** The first ```sh block after the tour marker. */
export function tourBlock(readme) {
  const at = readme.indexOf(TOUR_MARK);
  if (at < 0) throw new Error(`README.md has no "${TOUR_MARK}" marker before its tour`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!block?.[1]) throw new Error('README.md: no ```sh block after the tour marker');
  return block[1];
}

const gitStatus = () =>
  spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], {
    cwd: root,
    encoding: 'utf8',
  }).stdout;

async function main() {
  const script = tourBlock(readFileSync(join(root, 'README.md'), 'utf8'));
  const home = mkdtempSync(join(tmpdir(), 'pmkit-tour-home-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'pmkit-tour-data-'));
  // npm_config_update_notifier: the temporary HOME has no npmrc, and npm's notice is noise here.
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    PM_DATA_DIR: dataDir,
    LANG: 'C.UTF-8',
    npm_config_update_notifier: 'false',
  };
  const before = gitStatus();
  let failed = false;
  if (/\bnpx pm\b/.test(script)) {
    failed = true;
    process.stderr.write('README tour: uses `npx pm`; the tour puts `pm` on the PATH\n');
  }

  const server = spawn('npm', ['start'], {
    cwd: root,
    env: { ...env, PM_LOG_FORMAT: 'json', PM_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stopped = new Promise((resolve) =>
    server.on('exit', (code, signal) => resolve({ code, signal })),
  );
  try {
    await waitForHealth('http://127.0.0.1:4680/health', stopped);
    // Line by line as written: bash -e stops at the first failing line and names it.
    const tour = spawnSync('bash', ['-e', '-o', 'pipefail', '-x', '-c', script], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
    if (tour.status !== 0) {
      failed = true;
      process.stderr.write(
        `README tour failed (exit ${tour.status}):\n${tour.stderr}\n${tour.stdout}\n`,
      );
    }
    const after = gitStatus();
    if (after !== before) {
      failed = true;
      process.stderr.write(`README tour changed the clone:\n${after}\n`);
    }
  } finally {
    server.kill('SIGTERM');
    const { code, signal } = await stopped;
    if (code !== 0) {
      failed = true;
      process.stderr.write(`npm start ended with ${signal ?? `exit ${code}`} on SIGTERM\n`);
    }
    rmSync(home, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(failed ? 'README tour: failed' : 'README tour: every line passed');
  process.exitCode = failed ? 1 : 0;
}

async function waitForHealth(url, stopped) {
  let exited = false;
  void stopped.then(() => {
    exited = true;
  });
  for (let i = 0; i < 600; i++) {
    if (exited) throw new Error('npm start exited before serving (is port 4680 in use?)');
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within 60 s`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
