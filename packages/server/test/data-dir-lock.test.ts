import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError } from '@pmkit/server';
import { afterEach, describe, expect, it } from 'vitest';
import { lockDataDir } from '../src/db/data-dir-lock.js';

let dir: string;
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('the PGlite data directory lock', () => {
  it('refuses a second owner while the first lives, naming its pid', async () => {
    dir = await mkdtemp(join(tmpdir(), 'pmkit-lock-'));
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      await writeFile(join(dir, 'pmkit.pid'), String(sleeper.pid));
      expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
      expect(() => lockDataDir(dir)).toThrow(`in use by another pmkit server (pid ${sleeper.pid})`);
      expect(await readFile(join(dir, 'pmkit.pid'), 'utf8')).toBe(String(sleeper.pid));
    } finally {
      sleeper.kill();
    }
  });

  it('takes over a lock left by a process that died, and releases it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'pmkit-lock-'));
    const done = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => done.on('exit', resolve));
    await writeFile(join(dir, 'pmkit.pid'), String(done.pid));
    const release = lockDataDir(dir);
    expect(await readFile(join(dir, 'pmkit.pid'), 'utf8')).toBe(String(process.pid));
    release();
    const again = lockDataDir(dir);
    again();
  });
});
