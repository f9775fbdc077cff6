#!/usr/bin/env node
// `pm --version` and `pm timer status --short` answer here, without loading the CLI bundle. This
// file is CommonJS: Node starts it as fast as `node -e ''`, where an ES module costs a few ms more.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { readFileSync } = require('node:fs');
  const pkg = JSON.parse(readFileSync(require.resolve('../package.json'), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else if (args[0] === 'timer' && args[1] === 'status' && args.includes('--short')) {
  // One line for a shell prompt (`WEB-42 1:05`) from the cache the timer commands keep beside the
  // profile file (src/timer-cache.ts; the directory as src/config.ts finds it); no network call.
  // Nothing when no timer runs.
  const { readFileSync } = require('node:fs');
  const { homedir } = require('node:os');
  const { join } = require('node:path');
  const env = process.env;
  const dir =
    env.PM_CONFIG_DIR ||
    (process.platform === 'darwin'
      ? join(homedir(), 'Library', 'Preferences', 'pmkit')
      : process.platform === 'win32'
        ? join(env.APPDATA || join(homedir(), 'AppData', 'Roaming'), 'pmkit', 'Config')
        : join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'pmkit'));
  const at = args.indexOf('--profile');
  const profile = (at >= 0 && args[at + 1]) || env.PM_PROFILE || 'default';
  let cached;
  try {
    cached = JSON.parse(readFileSync(join(dir, 'timer.json'), 'utf8'))[profile];
  } catch {
    // No cache: no timer known.
  }
  if (cached) {
    const running = cached.running
      ? Math.max(0, Date.now() - Date.parse(cached.savedAt)) / 1000
      : 0;
    const minutes = Math.floor((cached.elapsedSeconds + running) / 60);
    const clock = `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
    process.stdout.write(
      `${cached.label ? `${cached.label} ` : ''}${clock}${cached.running ? '' : ' paused'}\n`,
    );
  }
} else {
  import('../dist/pm.js');
}
