import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { notice } from '../../output/status.js';
import { canPrompt } from '../../prompter.js';
import { askNewPassword, readStdin } from './credentials.js';

async function passwords(
  f: Factory,
  flags: { passwordStdin?: boolean },
): Promise<{ currentPassword: string; newPassword: string }> {
  if (flags.passwordStdin) {
    const lines = (await readStdin(f)).split(/\r?\n/);
    const [currentPassword, newPassword] = lines;
    if (lines.length !== 2 || !currentPassword || !newPassword) {
      throw new UsageError(
        '--password-stdin: expected two lines on stdin, the current password and then the new one',
      );
    }
    return { currentPassword, newPassword };
  }
  if (!canPrompt(f.io, f.env)) {
    throw new UsageError('--password-stdin is required when not running interactively');
  }
  const currentPassword = await f.prompter.password('Current password');
  return { currentPassword, newPassword: await askNewPassword(f, {}) };
}

export function newCmdAuthPassword(f: Factory): Command {
  return new Command('password')
    .description('Change your password; your other sessions are signed out')
    .option(
      '--password-stdin',
      'read the current password and the new one from stdin, one per line',
    )
    .addHelpText(
      'after',
      `
On a terminal it asks for the current password and the new one (twice).

Examples:
  $ pm auth password
  $ printf '%s\\n%s\\n' "$OLD_PASSWORD" "$NEW_PASSWORD" | pm auth password --password-stdin`,
    )
    .action(async (flags: { passwordStdin?: boolean }) => {
      await f.client().me.changePassword(await passwords(f, flags));
      notice(f, 'Password changed; your other sessions were signed out');
    });
}
