import { isPmError, PmNetworkError } from '@pmkit/sdk';
import { CommanderError } from 'commander';
import { fieldName } from './field-names.js';
import type { IOStreams } from './io.js';

export const ExitCode = {
  ok: 0,
  error: 1,
  usage: 2,
  auth: 3,
  notFound: 4,
  conflict: 5,
  /** Interrupted (Ctrl-C), as a shell reports SIGINT: 128 + 2. */
  interrupted: 130,
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
  if (isInterrupt(error)) return ExitCode.interrupted;
  if (isPmError(error)) {
    // The request as typed was wrong: a flag or an argument, named in the message.
    if (error.status === 400) return ExitCode.usage;
    if (error.status === 401 || error.status === 403) return ExitCode.auth;
    if (error.status === 404) return ExitCode.notFound;
    if (error.status === 422) {
      // A mailed token that is unknown, used or expired is gone, not in conflict with anything.
      if (problemType(error) === 'invalid-token') return ExitCode.notFound;
      // A wrong current password is a failed authentication.
      if (error.errors.some((e) => e.path === '/body/currentPassword')) return ExitCode.auth;
    }
    if ([409, 412, 422].includes(error.status)) return ExitCode.conflict;
  }
  return ExitCode.error;
}

/** Ctrl-C at an @inquirer prompt rejects it with an ExitPromptError. */
function isInterrupt(error: unknown): boolean {
  return error instanceof Error && error.name === 'ExitPromptError';
}

/** The last segment of a problem's type URI: `https://pmkit.dev/problems/slug-taken` → `slug-taken`. */
function problemType(error: { type: string }): string {
  return error.type.slice(error.type.lastIndexOf('/') + 1);
}

/**
 * Prints one `error: …` line (plus one line per invalid field of a 400, named as the command's
 * flags and arguments) and returns the exit code. `command` is the command's path below `pm`.
 */
export function reportError(error: unknown, io: IOStreams, command = ''): number {
  const code = exitCodeFor(error);
  // commander has already printed its own `error: …` line; Ctrl-C needs no words.
  if (error instanceof CommanderError || error instanceof SilentError || isInterrupt(error)) {
    return code;
  }
  const lines = [`error: ${describe(error, command)}`];
  if (isPmError(error) && error.status === 400) {
    for (const field of error.errors) {
      lines.push(`  ${fieldName(command, field.path)}: ${plainMessage(field.message)}`);
    }
  }
  io.stderr.write(`${lines.join('\n')}\n`);
  return code;
}

// What to do next, for the problems whose wording names no command.
const HINTS: Record<string, string> = {
  'email-taken': 'sign in with `pm auth login`, or reset the password with `pm auth reset --email`',
  'last-owner': 'see `pm org transfer --help`',
  'slug-taken': 'pass another with --slug',
};

const SIGN_IN_AGAIN = /^(Invalid token|Token expired|Authentication required)/;

function describe(error: unknown, command: string): string {
  if (error instanceof PmNetworkError) {
    return `cannot reach the server (${error.detail}); is it running? Start one with \`pm server start\`, or pass --server or set PM_SERVER`;
  }
  if (isPmError(error)) {
    const detail = error.detail ?? error.title;
    // Only a missing, bad or expired credential is cured by signing in; a wrong password is not,
    // and `pm auth login` itself must not suggest running `pm auth login`.
    if (error.status === 401 && SIGN_IN_AGAIN.test(detail) && command !== 'auth login') {
      return `${detail}; run \`pm auth login\``;
    }
    const hint = HINTS[problemType(error)];
    return hint ? `${detail}; ${hint}` : detail;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The validator's wording, as a person would say it. */
export function plainMessage(message: string): string {
  if (message === 'must NOT have fewer than 1 characters') return 'must not be empty';
  return message
    .replace(/^must NOT have fewer than (\d+) characters$/, 'must be at least $1 characters long')
    .replace(/^must NOT have more than (\d+) characters$/, 'must be at most $1 characters long')
    .replace(/^must NOT have fewer than (\d+) items$/, 'needs at least $1')
    .replace(/^must NOT have more than (\d+) items$/, 'takes at most $1');
}
