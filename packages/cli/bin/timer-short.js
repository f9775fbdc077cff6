// `pm timer status --short`: one line for a shell prompt (`WEB-42 1:05`) from the cache the other
// timer commands keep, with no network call and without loading the CLI bundle. Prints nothing
// when no timer runs. The file's place must match src/timer-cache.ts.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function configDir(env = process.env, platform = process.platform) {
  if (env.PM_CONFIG_DIR) return env.PM_CONFIG_DIR;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Preferences', 'pmkit');
  if (platform === 'win32') {
    return join(env.APPDATA || join(homedir(), 'AppData', 'Roaming'), 'pmkit', 'Config');
  }
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'pmkit');
}

export function shortLine(cached, now) {
  if (!cached) return '';
  const running = cached.running ? Math.max(0, now - Date.parse(cached.savedAt)) / 1000 : 0;
  const minutes = Math.floor((cached.elapsedSeconds + running) / 60);
  const clock = `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
  return `${cached.label ? `${cached.label} ` : ''}${clock}${cached.running ? '' : ' paused'}\n`;
}

export function printShortStatus(args) {
  const at = args.indexOf('--profile');
  const profile = (at >= 0 && args[at + 1]) || process.env.PM_PROFILE || 'default';
  let timers = {};
  try {
    timers = JSON.parse(readFileSync(join(configDir(), 'timer.json'), 'utf8'));
  } catch {
    // No cache: no timer known.
  }
  process.stdout.write(shortLine(timers[profile], Date.now()));
}
