import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Timer } from '@pmkit/sdk';
import type { Factory } from './factory.js';

/**
 * What `pm timer status --short` prints from, with no network call (bin/pm.cjs reads it):
 * per profile, the running timer as of the last timer command. Beside the profile file.
 */
export interface CachedTimer {
  label: string;
  elapsedSeconds: number;
  running: boolean;
  savedAt: string;
}

const cachePath = (f: Factory) => join(dirname(f.config().path), 'timer.json');

function read(path: string): Record<string, CachedTimer> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, CachedTimer>;
  } catch {
    return {};
  }
}

/** Records the timer (or that none runs) for the current profile; a cache never fails a command. */
export function rememberTimer(f: Factory, timer: Timer | null): void {
  const path = cachePath(f);
  try {
    const all = read(path);
    const profile = f.settings().profile;
    if (timer) {
      all[profile] = {
        label: timer.task?.key ?? timer.project?.key ?? '',
        elapsedSeconds: timer.elapsedSeconds,
        running: timer.state === 'running',
        savedAt: f.clock.now().toISOString(),
      };
    } else {
      delete all[profile];
    }
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(all), { mode: 0o600 });
    renameSync(temporary, path);
  } catch {
    // A read-only config directory: the prompt line goes stale, the command still works.
  }
}

/** `WEB-42 1:05` (and ` paused`), or nothing: what bin/pm.cjs prints, for in-process runs. */
export function shortStatus(f: Factory): string {
  const cached = read(cachePath(f))[f.settings().profile];
  if (!cached) return '';
  const running = cached.running
    ? Math.max(0, f.clock.now().getTime() - Date.parse(cached.savedAt)) / 1000
    : 0;
  const minutes = Math.floor((cached.elapsedSeconds + running) / 60);
  const clock = `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
  return `${cached.label ? `${cached.label} ` : ''}${clock}${cached.running ? '' : ' paused'}\n`;
}
