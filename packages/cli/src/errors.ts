import { isPmError, PmNetworkError } from '@pmkit/sdk';
import { CommanderError } from 'commander';
import type { IOStreams } from './io.js';

export const ExitCode = {
  ok: 0,
  error: 1,
  usage: 2,
  auth: 3,
  notFound: 4,
  conflict: 5,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = ExitCode.error,
  ) {
    super(message);
  }
}

/** A missing or invalid flag or argument. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

export class AuthError extends CliError {
  constructor(message = 'not signed in; run `pm auth login` or set PM_TOKEN') {
    super(message, ExitCode.auth);
  }
}

/** Already reported to the user; only the exit code is left to deliver. */
export class SilentError extends CliError {
  constructor(exitCode: number) {
    super('', exitCode);
  }
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    // --help, --version and a bare group print help: that is not a failure.
    if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code)) {
      return ExitCode.ok;
    }
    return ExitCode.usage;
  }
  if (error instanceof CliError) return error.exitCode;
  if (isPmError(error)) {
    if (error.status === 401 || error.status === 403) return ExitCode.auth;
    if (error.status === 404) return ExitCode.notFound;
    if ([409, 412, 422].includes(error.status)) return ExitCode.conflict;
  }
  return ExitCode.error;
}

/** Prints one `error: …` line (plus one line per invalid field) and returns the exit code. */
export function reportError(error: unknown, io: IOStreams): number {
  const code = exitCodeFor(error);
  // commander has already printed its own `error: …` line.
  if (error instanceof CommanderError || error instanceof SilentError) return code;
  const lines = [`error: ${describe(error)}`];
  if (isPmError(error) && error.status === 400) {
    for (const field of error.errors) lines.push(`  ${field.path}: ${field.message}`);
  }
  io.stderr.write(`${lines.join('\n')}\n`);
  return code;
}

function describe(error: unknown): string {
  if (error instanceof PmNetworkError) return `cannot reach the server (${error.detail})`;
  if (isPmError(error)) {
    const detail = error.detail ?? error.title;
    return error.status === 401 ? `${detail}; run \`pm auth login\`` : detail;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
