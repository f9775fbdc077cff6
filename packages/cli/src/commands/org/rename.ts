import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { currentOrg } from '../../org-scope.js';
import { createOutput } from '../../output/index.js';
import { notice } from '../../output/status.js';
import { orgColumns } from './columns.js';

export function newCmdOrgRename(f: Factory): Command {
  return new Command('rename')
    .description('Rename the current organization, and optionally change its slug (Admin)')
    .argument('<name>', 'the new display name')
    .option('--slug <slug>', 'a new URL name: lower-case letters, digits, inner hyphens')
    .addHelpText(
      'after',
      `
Changing the slug breaks scripts that use the old one; ids never change.
A profile whose current organization was renamed follows the new slug.

Examples:
  $ pm org rename "Acme Corporation"
  $ pm org rename "Acme Corporation" --slug acme-corp --org acme`,
    )
    .action(async (name: string, options: { slug?: string }) => {
      const ref = currentOrg(f);
      const org = await f
        .client()
        .orgs.update(ref, { name, ...(options.slug ? { slug: options.slug } : {}) });
      const { profile } = f.settings();
      const saved = f.config().get(profile).org;
      if (saved && saved !== org.slug && (saved === ref || saved === org.id)) {
        f.config().update(profile, { org: org.slug });
      }
      createOutput(f.io, f.globals).record(org, orgColumns);
      notice(f, `Renamed ${org.slug} to "${org.name}"`);
    });
}
