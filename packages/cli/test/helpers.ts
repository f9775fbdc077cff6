import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { expect } from 'vitest';
import type { Profile } from '../src/config.js';
import { type Clock, createFactory, type Factory } from '../src/factory.js';
import { colorEnabled, type Env, type IOStreams } from '../src/io.js';
import { run } from '../src/main.js';
import type { Prompter } from '../src/prompter.js';

export interface FakeIO {
  io: IOStreams;
  stdout(): string;
  stderr(): string;
}

/** In-memory streams, like gh's iostreams.Test(); `tty` flips all three TTY flags. */
export function fakeIO(
  options: { tty?: boolean; stdin?: string; env?: Env; columns?: number } = {},
): FakeIO {
  const tty = options.tty ?? false;
  const collect = () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    return { stream, text: () => text };
  };
  const out = collect();
  const err = collect();
  return {
    io: {
      stdout: out.stream,
      stderr: err.stream,
      stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
      isStdoutTTY: tty,
      isStderrTTY: false, // no spinners in tests
      isStdinTTY: tty,
      colorEnabled: colorEnabled(tty, options.env ?? {}),
      ...(options.columns ? { columns: options.columns } : {}),
    },
    stdout: out.text,
    stderr: err.text,
  };
}

export const tempDir = (prefix = 'pm-cli-') => mkdtempSync(join(tmpdir(), prefix));

export interface RunOptions {
  env?: Env;
  tty?: boolean;
  /** The terminal's width (with `tty`). */
  columns?: number;
  stdin?: string;
  configDir?: string;
  fetch?: typeof fetch;
  prompter?: Prompter;
  clock?: Clock;
  /** The working directory the command sees (where the git branch is read). */
  cwd?: string;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  factory: Factory;
}

/** Runs `pm <args>` in-process against fake streams and a private config directory. */
export async function runPm(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const env = options.env ?? {};
  const streams = fakeIO({
    tty: options.tty,
    stdin: options.stdin,
    env,
    ...(options.columns ? { columns: options.columns } : {}),
  });
  const factory = createFactory({
    io: streams.io,
    env,
    configDir: options.configDir ?? (env.PM_CONFIG_DIR ? undefined : tempDir()),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.prompter ? { prompter: options.prompter } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const code = await run(args, factory);
  return { code, stdout: streams.stdout(), stderr: streams.stderr(), factory };
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const noPrompts: Prompter = {
  input: () => Promise.reject(new Error('unexpected prompt')),
  password: () => Promise.reject(new Error('unexpected prompt')),
  confirm: () => Promise.reject(new Error('unexpected prompt')),
};

export interface FakeApi {
  fetch: typeof fetch;
  /** `METHOD /path?query` of every request, in order. */
  calls: string[];
  bodies: unknown[];
}

/**
 * A fetch that answers from a table of `METHOD /path` → JSON body (200) or `[status, body]`, for
 * testing a command's output without a server; anything else is a 404 problem.
 */
export function fakeApi(routes: Record<string, unknown>): FakeApi {
  const calls: string[] = [];
  const bodies: unknown[] = [];
  const fake = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const method = init?.method ?? 'GET';
    calls.push(`${method} ${url.pathname}${url.search}`);
    bodies.push(init?.body ? JSON.parse(Buffer.from(init.body as Uint8Array).toString()) : null);
    const route = routes[`${method} ${url.pathname}`];
    const [status, body] = Array.isArray(route)
      ? (route as [number, unknown])
      : route === undefined
        ? [404, { type: 'about:blank', title: 'Not Found', status: 404, detail: 'Not found' }]
        : [200, route];
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
    });
  };
  return { fetch: fake as typeof fetch, calls, bodies };
}

export interface CliUser {
  configDir: string;
  /** Runs `pm` with this user's own profile directory against the server. */
  pm(args: string[], options?: RunOptions): Promise<RunResult>;
  /** The saved profile (default: "default"). */
  profile(name?: string): Profile;
}

/** A person at their own terminal: a private profile directory, talking to `server`. */
export function cliUser(
  server: { url: string; fetch: typeof fetch },
  defaults: RunOptions = {},
): CliUser {
  const configDir = defaults.configDir ?? tempDir();
  return {
    configDir,
    pm: (args, options = {}) =>
      runPm(args, {
        fetch: server.fetch,
        prompter: noPrompts,
        ...defaults,
        ...options,
        configDir,
        env: { PM_SERVER: server.url, NO_COLOR: '1', ...defaults.env, ...options.env },
      }),
    profile(name = 'default') {
      const path = join(configDir, 'config.json');
      if (!existsSync(path)) return {};
      return (
        (JSON.parse(readFileSync(path, 'utf8')) as { profiles: Record<string, Profile> }).profiles[
          name
        ] ?? {}
      );
    },
  };
}

/**
 * A person signed up at `server`, in an organization of their own and using a project of it:
 * `org` and `project` are the arguments of `pm org create` and `pm project create`.
 */
export async function cliUserWithProject(
  server: { url: string; fetch: typeof fetch },
  setup: { email: string; name: string; org: string[]; project: string[] },
): Promise<CliUser> {
  const user = cliUser(server);
  const steps: [string[], RunOptions?][] = [
    [
      ['auth', 'register', '--email', setup.email, '--name', setup.name, '--password-stdin'],
      { stdin: 'correct horse battery staple' },
    ],
    [['org', 'create', ...setup.org, '--switch']],
    [['project', 'create', ...setup.project, '--use']],
  ];
  for (const [args, options] of steps) {
    const result = await user.pm(args, options);
    expect(result.code, result.stderr).toBe(0);
  }
  return user;
}

/** A failed command: its exit code, nothing on stdout, one `error: …` line on stderr. */
export function expectFailure(result: RunResult, code: number): void {
  expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({
    code,
    stdout: '',
    stderr: expect.stringMatching(/^error: [^\n]+\n$/),
  });
}

/** The rows of TSV output, without its header. */
export function tsvRows(stdout: string): string[][] {
  return stdout
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t'));
}
