import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { newCmdOrgCreate } from './create.js';
import { newCmdOrgCurrent } from './current.js';
import { newCmdOrgInvite } from './invite.js';
import { newCmdOrgLeave } from './leave.js';
import { newCmdOrgList } from './list.js';
import { newCmdOrgMembers } from './members.js';
import { newCmdOrgRemove } from './remove.js';
import { newCmdOrgRename } from './rename.js';
import { newCmdOrgRole } from './role.js';
import { newCmdOrgSwitch } from './switch.js';
import { newCmdOrgTransfer } from './transfer.js';

export function newCmdOrg(f: Factory): Command {
  return new Command('org')
    .description('Organizations: list, create, switch, and manage members')
    .addCommand(newCmdOrgList(f))
    .addCommand(newCmdOrgCreate(f))
    .addCommand(newCmdOrgSwitch(f))
    .addCommand(newCmdOrgCurrent(f))
    .addCommand(newCmdOrgRename(f))
    .addCommand(newCmdOrgMembers(f))
    .addCommand(newCmdOrgInvite(f))
    .addCommand(newCmdOrgRole(f))
    .addCommand(newCmdOrgRemove(f))
    .addCommand(newCmdOrgTransfer(f))
    .addCommand(newCmdOrgLeave(f));
}
