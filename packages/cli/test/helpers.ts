import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
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
export function fakeIO(options: { tty?: boolean; stdin?: string; env?: Env } = {}): FakeIO {
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
    },
    stdout: out.text,
    stderr: err.text,
  };
}

export const tempDir = (prefix = 'pm-cli-') => mkdtempSync(join(tmpdir(), prefix));

export interface RunOptions {
  env?: Env;
  tty?: boolean;
  stdin?: string;
  configDir?: string;
  fetch?: typeof fetch;
  prompter?: Prompter;
  clock?: Clock;
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
  const streams = fakeIO({ tty: options.tty, stdin: options.stdin, env });
  const factory = createFactory({
    io: streams.io,
    env,
    configDir: options.configDir ?? (env.PM_CONFIG_DIR ? undefined : tempDir()),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.prompter ? { prompter: options.prompter } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
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
};
