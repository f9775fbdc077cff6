#!/usr/bin/env node
// `pm --version` and `pm timer status --short` answer without loading the CLI bundle.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else if (args[0] === 'timer' && args[1] === 'status' && args.includes('--short')) {
  const { printShortStatus } = await import('./timer-short.js');
  printShortStatus(args);
} else {
  await import('../dist/pm.js');
}
