import type { Readable, Writable } from 'node:stream';

export interface IOStreams {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  isStdoutTTY: boolean;
  isStderrTTY: boolean;
  isStdinTTY: boolean;
  colorEnabled: boolean;
  /** The terminal's width when stdout is one; tables are fitted to it. */
  columns?: number;
}

export type Env = Record<string, string | undefined>;

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colorEnabled(isStdoutTTY: boolean, env: Env): boolean {
  return isStdoutTTY && !env.NO_COLOR && env.TERM !== 'dumb';
}

export function systemIO(env: Env): IOStreams {
  const isStdoutTTY = Boolean(process.stdout.isTTY);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isStdoutTTY,
    isStderrTTY: Boolean(process.stderr.isTTY),
    isStdinTTY: Boolean(process.stdin.isTTY),
    colorEnabled: colorEnabled(isStdoutTTY, env),
    ...(isStdoutTTY && process.stdout.columns ? { columns: process.stdout.columns } : {}),
  };
}

export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer | string));
  return Buffer.concat(chunks).toString('utf8');
}
