// A newcomer's install, lint and test run print only what matters.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('a quiet install and test run', () => {
  it('every install script in the lockfile is approved or denied in allowScripts', async () => {
    const { stdout } = await exec('npm', ['approve-scripts', '--allow-scripts-pending', '--json'], {
      cwd: root,
    });
    expect(JSON.parse(stdout)).toEqual({ allowScripts: [] });
  });

  it('npm run lint prints no end-of-life banner for the supported Node 20', async () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    // The contract is linted through the wrapper that drops the banner, not by redocly directly.
    expect(pkg.scripts.lint).toContain('node scripts/lint-contract.mjs');
    expect(pkg.scripts.lint).not.toMatch(/(^|&& *)redocly /);
    const { stdout, stderr } = await exec(process.execPath, ['scripts/lint-contract.mjs'], {
      cwd: root,
    });
    expect(`${stdout}${stderr}`).not.toMatch(/end-of-life|support is ending/i);
    expect(stderr).toContain('openapi.yaml: validated');
  }, 60_000);

  it('.ci/run builds once: npm ci runs the prepare script, and no step builds again', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.prepare).toBe('npm run build');
    const ci = read('.ci/run');
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).not.toMatch(/^\s*(npm run build|npm run build --workspaces|tsup)\b/m);
  });

  it('npm test prints its summary, and no path to a report it deletes', async () => {
    const { stdout, stderr } = await exec(
      process.execPath,
      ['scripts/test.mjs', 'packages/cli/test/args.test.ts'],
      { cwd: root, env: { ...process.env, PM_TEST_DATABASE_URL: '', NO_COLOR: '1' } },
    );
    const output = `${stdout}${stderr}`;
    expect(output).not.toMatch(/report written|pmkit-results-/i);
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^tests: \d+ passed, 0 failed, \d+ skipped$/,
    );
  }, 120_000);
});
