// Checks what each package would publish: publint (files, exports, bin) and, for packages with
// exports, Are the Types Wrong (types for every entry point and module system). Both pack the
// package locally; nothing is downloaded. Prints one line per package, or the tool's report.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
const publint = bin('publint');
const attw = bin('attw');

// attw profile per package: the SDK ships ESM and CJS; the server is ESM only; the CLI is a bin.
const packages = [
  { dir: 'packages/sdk', attw: 'node16' },
  { dir: 'packages/server', attw: 'esm-only' },
  { dir: 'packages/cli' },
];

const root = fileURLToPath(new URL('..', import.meta.url));
let failed = false;
for (const pkg of packages) {
  let ok = true;
  const checks = [['publint', publint, ['run', pkg.dir, '--strict']]];
  if (pkg.attw) {
    checks.push(['attw', attw, ['--pack', pkg.dir, '--profile', pkg.attw, '--format', 'ascii']]);
  }
  for (const [name, script, args] of checks) {
    const result = spawnSync(process.execPath, [script, ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    if (result.status === 0) continue;
    ok = false;
    failed = true;
    process.stderr.write(`${name} ${pkg.dir}: failed\n${result.stdout}${result.stderr}\n`);
  }
  if (ok) console.log(`${pkg.dir}: package contents ok (publint${pkg.attw ? ', attw' : ''})`);
}
process.exitCode = failed ? 1 : 0;
