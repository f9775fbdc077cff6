// What the benchmarks share: servers started as child processes, and commands timed over runs.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Mean wall time of `node <args>` in ms over `runs` runs, after one to warm the file cache
 * (`warm: false` for commands that change state, warmed by the caller).
 */
export function timeCommand(args, runs, env = process.env, { warm = true } = {}) {
  if (warm) spawnSync(process.execPath, args, { env });
  const started = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) {
    const result = spawnSync(process.execPath, args, { encoding: 'utf8', env });
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
  }
  return Number(process.hrtime.bigint() - started) / 1e6 / runs;
}

export function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** A server process on a free port (given as PM_PORT and FLOOR_PORT), once `/health` answers. */
export async function startProcess(args, env) {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PM_PORT: String(port), FLOOR_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    if (
      await fetch(`${url}/health`).then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.on('exit', resolve);
      child.kill('SIGTERM');
    });
  return { url, stop, pid: child.pid };
}

/** Resident memory of a process now, and its peak so far (Linux /proc), in kB. */
export function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}
