import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { newCmdOrgCreate } from './create.js';
import { newCmdOrgList } from './list.js';
import { newCmdOrgSwitch } from './switch.js';

export function newCmdOrg(f: Factory): Command {
  return new Command('org')
    .description('Organizations: list, create, switch the current one')
    .addCommand(newCmdOrgList(f))
    .addCommand(newCmdOrgCreate(f))
    .addCommand(newCmdOrgSwitch(f));
}
