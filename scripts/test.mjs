// `npm test`: the whole suite on PGlite, then again on PostgreSQL when PM_TEST_DATABASE_URL is
// set. Extra arguments go to vitest (`npm test -- packages/server`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// vitest's own entry, run with this Node: no npx in between (faster, and none of npm's notices).
const vitest = join(createRequire(import.meta.url).resolve('vitest/package.json'), '../vitest.mjs');
const reporter = fileURLToPath(new URL('./vitest-totals.mjs', import.meta.url));

const args = process.argv.slice(2);
const pgUrl = process.env.PM_TEST_DATABASE_URL;
const runs = [{ name: 'PGlite', env: { ...process.env, PM_TEST_DATABASE_URL: '' } }];
if (pgUrl) runs.push({ name: 'PostgreSQL', env: process.env });

const dir = mkdtempSync(join(tmpdir(), 'pmkit-results-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
let crashed = false;
for (const run of runs) {
  console.log(`\n── ${run.name} suite ──`);
  const totalsFile = join(dir, `${run.name}.json`);
  const result = spawnSync(
    process.execPath,
    [vitest, 'run', '--reporter=default', `--reporter=${reporter}`, ...args],
    {
      stdio: 'inherit',
      env: { ...run.env, PM_TEST_SUITE: run.name, PM_TEST_TOTALS_FILE: totalsFile },
    },
  );
  let counts;
  try {
    counts = JSON.parse(readFileSync(totalsFile, 'utf8'));
  } catch {
    console.error(`${run.name} suite: vitest exited with ${result.status} and counted nothing`);
    crashed = true;
    continue;
  }
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  if (result.status !== 0 && counts.failed === 0) crashed = true;
  console.log(
    `${run.name} suite: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
  );
}
rmSync(dir, { recursive: true, force: true });
if (!pgUrl) {
  console.log(
    '\nPostgreSQL suite skipped: set PM_TEST_DATABASE_URL to a server where this role may CREATE DATABASE,\n' +
      'for example PM_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm test',
  );
}
if (!process.env.PM_TEST_REDIS_URL) {
  console.log(
    'Redis rate-limit store test skipped: set PM_TEST_REDIS_URL=redis://127.0.0.1:6379 to run it.',
  );
}
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || crashed ? 1 : 0);
