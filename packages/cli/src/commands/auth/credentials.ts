import { UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { readAll } from '../../io.js';
import { canPrompt } from '../../prompter.js';

export interface CredentialFlags {
  email?: string;
  name?: string;
  passwordStdin?: boolean;
}

/** Stdin without its final line break. */
export async function readStdin(f: Factory): Promise<string> {
  return (await readAll(f.io.stdin)).replace(/\r?\n$/, '');
}

/** Flags first; prompts on a terminal; otherwise an error naming the missing flag. */
export async function askEmail(f: Factory, flags: CredentialFlags): Promise<string> {
  if (flags.email) return flags.email;
  if (!canPrompt(f.io, f.env))
    throw new UsageError('--email is required when not running interactively');
  return f.prompter.input('Email');
}

export async function askPassword(f: Factory, flags: CredentialFlags): Promise<string> {
  if (flags.passwordStdin) {
    const password = await readStdin(f);
    if (!password) throw new UsageError('--password-stdin: stdin was empty');
    return password;
  }
  if (!canPrompt(f.io, f.env)) {
    throw new UsageError('--password-stdin is required when not running interactively');
  }
  return f.prompter.password('Password');
}

/** A new password: from stdin with --password-stdin, or typed twice on a terminal. */
export async function askNewPassword(f: Factory, flags: CredentialFlags): Promise<string> {
  if (flags.passwordStdin || !canPrompt(f.io, f.env)) return askPassword(f, flags);
  const password = await f.prompter.password('New password');
  if ((await f.prompter.password('New password again')) !== password) {
    throw new UsageError('the two passwords differ');
  }
  return password;
}

export async function askName(f: Factory, flags: CredentialFlags, email: string): Promise<string> {
  if (flags.name) return flags.name;
  const fallback = email.split('@')[0] || email;
  if (!canPrompt(f.io, f.env)) return fallback;
  return f.prompter.input('Name', { default: fallback });
}

/** The `exp` of a JWT in milliseconds, or undefined for an API key or opaque token. */
export function tokenExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
