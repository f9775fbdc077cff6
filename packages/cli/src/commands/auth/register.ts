import { isPmError, type RegisterRequest, type Session } from '@pmkit/sdk';
import { Command } from 'commander';
import { CliError, ExitCode, plainMessage } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { createOutput } from '../../output/index.js';
import { notice } from '../../output/status.js';
import { canPrompt } from '../../prompter.js';
import { askEmail, askName, askPassword, type CredentialFlags } from './credentials.js';

// The contract's Password schema (minLength 10); the server has the last word.
const PASSWORD_RULE = 'Choose a password of at least 10 characters.';
const PASSWORD_ATTEMPTS = 3;

interface RegisterFlags extends CredentialFlags {
  invitation?: string;
}

export function newCmdAuthRegister(f: Factory): Command {
  return new Command('register')
    .description('Create an account on the server and sign in to it')
    .option('--email <email>', 'e-mail address')
    .option('--name <name>', 'display name (default: the part of the e-mail before @)')
    .option('--password-stdin', 'read the password from stdin')
    .option(
      '--invitation <token>',
      'the token from an invitation mail (required on invite-only servers)',
    )
    .addHelpText(
      'after',
      `
Passwords have at least 10 characters. With --invitation the e-mail address is the one invited.

Examples:
  $ pm auth register
  $ printf '%s\\n' "$PASSWORD" | pm auth register --email ada@example.com --name Ada --password-stdin
  $ pm auth register --invitation pmi_…
  $ printf '%s\\n' "$PASSWORD" | pm auth register --invitation pmi_… --password-stdin`,
    )
    .action(async (flags: RegisterFlags) => {
      const email =
        flags.invitation && !flags.email
          ? await invitedEmail(f, flags.invitation)
          : await askEmail(f, flags);
      const name = await askName(f, flags, email);
      const request = {
        email,
        name,
        ...(flags.invitation ? { invitationToken: flags.invitation } : {}),
      };
      const session = await registerWithPassword(f, flags, request);
      const out = createOutput(f.io, f.globals);
      if (out.format === 'json') out.record(session.user, []);
      notice(f, `Registered and signed in to ${f.settings().server} as ${session.user.email}`);
    });
}

/** The address an invitation was sent to; the token is all a newcomer has. */
async function invitedEmail(f: Factory, token: string): Promise<string> {
  try {
    const invitation = await f.client().invitations.get(token);
    notice(f, `Invitation to ${invitation.orgName} as ${invitation.role} for ${invitation.email}`);
    return invitation.email;
  } catch (error) {
    if (isPmError(error) && error.status === 404) {
      throw new CliError(
        '--invitation: this invitation is unknown, used or expired; ask for it to be resent',
        ExitCode.notFound,
      );
    }
    throw error;
  }
}

/**
 * On a terminal, states the password rule first and asks again when the server refuses the
 * password; from --password-stdin there is one try, and a refusal is a usage error.
 */
async function registerWithPassword(
  f: Factory,
  flags: RegisterFlags,
  request: Omit<RegisterRequest, 'password'>,
): Promise<Session> {
  const interactive = !flags.passwordStdin && canPrompt(f.io, f.env);
  if (interactive) f.io.stderr.write(`${PASSWORD_RULE}\n`);
  for (let attempt = 1; ; attempt++) {
    const password = await askPassword(f, flags);
    try {
      return await f.client().auth.register({ ...request, password });
    } catch (error) {
      const refused =
        isPmError(error) &&
        error.status === 400 &&
        error.errors.length > 0 &&
        error.errors.every((e) => e.path === '/body/password');
      if (!interactive || !refused || attempt >= PASSWORD_ATTEMPTS) throw error;
      const reason = isPmError(error) ? error.errors[0]?.message : undefined;
      f.io.stderr.write(
        `That password was refused: it ${plainMessage(reason ?? 'is invalid')}. ${PASSWORD_RULE}\n`,
      );
    }
  }
}
