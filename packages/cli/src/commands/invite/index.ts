import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { newCmdInviteAccept } from './accept.js';
import { newCmdInviteDecline } from './decline.js';
import { newCmdInviteList } from './list.js';
import { newCmdInviteResend } from './resend.js';
import { newCmdInviteRevoke } from './revoke.js';

export function newCmdInvite(f: Factory): Command {
  return new Command('invite')
    .description('Invitations: manage the current organization’s, or answer one you received')
    .addHelpText('after', '\nTo invite someone: pm org invite <email> [--role <role>]')
    .addCommand(newCmdInviteList(f))
    .addCommand(newCmdInviteRevoke(f))
    .addCommand(newCmdInviteResend(f))
    .addCommand(newCmdInviteAccept(f))
    .addCommand(newCmdInviteDecline(f));
}
