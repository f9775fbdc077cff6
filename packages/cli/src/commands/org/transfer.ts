import { Command } from 'commander';
import { CliError, UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { currentOrg } from '../../org-scope.js';
import { createOutput } from '../../output/index.js';
import { notice } from '../../output/status.js';
import { canPrompt } from '../../prompter.js';
import { orgColumns } from './columns.js';
import { findMember, MEMBER_HELP } from './member-ref.js';

export function newCmdOrgTransfer(f: Factory): Command {
  return new Command('transfer')
    .description('Make another member the Owner of the current organization (Owner)')
    .argument('<member>', MEMBER_HELP)
    .option('-y, --yes', 'do not ask for confirmation (required when not interactive)')
    .addHelpText(
      'after',
      `
The new Owner must already be a member; you become an Admin. You cannot undo this yourself.

Examples:
  $ pm org transfer grace@example.com
  $ pm org transfer grace@example.com --yes --org acme   # in a script`,
    )
    .action(async (ref: string, options: { yes?: boolean }) => {
      const org = currentOrg(f);
      if (!options.yes && !canPrompt(f.io, f.env)) {
        throw new UsageError(
          '--yes is required to transfer ownership when not running interactively',
        );
      }
      const pm = f.client();
      const member = await findMember(pm, org, ref);
      const who = `${member.name} <${member.email}>`;
      if (!options.yes) {
        const sure = await f.prompter.confirm(
          `Make ${who} the Owner of ${org}? You will become an Admin.`,
        );
        if (!sure) throw new CliError('cancelled; ownership was not transferred');
      }
      const updated = await pm.orgs.transferOwnership(org, member.userId);
      createOutput(f.io, f.globals).record(updated, orgColumns);
      notice(f, `${who} now owns ${updated.slug}; you are ${updated.role}`);
    });
}
