// `npm start`, exactly as the README gives it, stops on SIGTERM and on Ctrl-C: the server gets
// the signal, shuts down gracefully, and everything exits 0 with no process left behind.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const started: { child: ChildProcess; dataDir: string }[] = [];

interface Started {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm start` in its own process group (as a terminal runs it), on a fresh data directory. */
async function npmStart(): Promise<Started> {
  const dataDir = tempDir('pm-npm-start-');
  const child = spawn('npm', ['start'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PM_DATA_DIR: dataDir,
      PM_PORT: '0',
      PM_LOG_FORMAT: 'json',
      PM_LOG_LEVEL: 'info',
    },
  });
  started.push({ child, dataDir });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /"url":"(http:[^"]+)"[^\n]*pmkit server listening/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => reject(new Error(`npm start exited before listening:\n${output}`)));
  });
  return { child, url, output: () => output, exited };
}

/** The one child process of `pid` (npm's: the server, as the start script execs it). */
function childOf(pid: number): number {
  const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  const [child, ...more] = out
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter(Boolean);
  if (!child || more.length) throw new Error(`expected one child of npm, found: ${out}`);
  return child;
}

/** Whether any process of the group is still alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function groupGone(pgid: number): Promise<boolean> {
  for (let i = 0; i < 50 && groupAlive(pgid); i++) await new Promise((r) => setTimeout(r, 100));
  return !groupAlive(pgid);
}

afterEach(() => {
  for (const { child, dataDir } of started.splice(0)) {
    if (child.pid && groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

describe.skipIf(process.platform === 'win32')('npm start', () => {
  it('SIGTERM to npm stops the server gracefully: exit 0, no orphan', async () => {
    const server = await npmStart();
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(await groupGone(server.child.pid as number)).toBe(true);
    expect(server.output()).toContain('pmkit server stopped');
  }, 60_000);

  it('Ctrl-C (SIGINT to the whole foreground group) exits 0 after a graceful shutdown', async () => {
    const server = await npmStart();
    // The terminal signals the server and npm; npm forwards its copy to the server too, late on a
    // busy machine. No later signal may turn the graceful shutdown into exit 130, whenever it
    // lands: after Ctrl-C, the server gets SIGINT again every few milliseconds until it is gone.
    const serverPid = childOf(server.child.pid as number);
    process.kill(-(server.child.pid as number), 'SIGINT');
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 3));
      try {
        process.kill(serverPid, 'SIGINT');
      } catch {
        break; // it has exited
      }
    }
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(await groupGone(server.child.pid as number)).toBe(true);
    expect(server.output()).toContain('pmkit server stopped');
  }, 60_000);
});
