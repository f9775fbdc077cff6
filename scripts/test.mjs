// `npm test`: the whole suite on PGlite, then again on PostgreSQL when PM_TEST_DATABASE_URL is
// set. Extra arguments go to vitest (`npm test -- packages/server`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const pgUrl = process.env.PM_TEST_DATABASE_URL;
const runs = [{ name: 'PGlite', env: { ...process.env, PM_TEST_DATABASE_URL: '' } }];
if (pgUrl) runs.push({ name: 'PostgreSQL', env: process.env });

const dir = mkdtempSync(join(tmpdir(), 'pmkit-results-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
let crashed = false;
for (const run of runs) {
  console.log(`\n── ${run.name} suite ──`);
  const outputFile = join(dir, `${run.name}.json`);
  const result = spawnSync(
    'npx',
    [
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${outputFile}`,
      ...args,
    ],
    { stdio: 'inherit', env: { ...run.env, PM_TEST_SUITE: run.name } },
  );
  let report;
  try {
    report = JSON.parse(readFileSync(outputFile, 'utf8'));
  } catch {
    console.error(`${run.name} suite: vitest exited with ${result.status} and wrote no report`);
    crashed = true;
    continue;
  }
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  if (result.status !== 0 && report.numFailedTests === 0) crashed = true;
  console.log(
    `${run.name} suite: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped`,
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
