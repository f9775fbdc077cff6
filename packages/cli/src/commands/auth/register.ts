import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { createOutput } from '../../output/index.js';
import { notice } from '../../output/status.js';
import { askEmail, askName, askPassword, type CredentialFlags } from './credentials.js';

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
Examples:
  $ pm auth register
  $ printf '%s' "$PASSWORD" | pm auth register --email ada@example.com --name Ada --password-stdin
  $ pm auth register --email grace@example.com --invitation pmi_…`,
    )
    .action(async (flags: RegisterFlags) => {
      const email = await askEmail(f, flags);
      const name = await askName(f, flags, email);
      const password = await askPassword(f, flags);
      const session = await f.client().auth.register({
        email,
        name,
        password,
        ...(flags.invitation ? { invitationToken: flags.invitation } : {}),
      });
      const out = createOutput(f.io, f.globals);
      if (out.format === 'json') out.record(session.user, []);
      notice(f, `Registered and signed in to ${f.settings().server} as ${session.user.email}`);
    });
}
