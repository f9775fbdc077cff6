import type { PmClient } from '@pmkit/sdk';
import { CliError, ExitCode } from './errors.js';
import type { Factory } from './factory.js';
import { currentOrg } from './org-scope.js';

/** Members named as people type them (an e-mail, or `me`), as user ids; 4 for a stranger. */
export async function userIds(f: Factory, pm: PmClient, refs: string[]): Promise<string[]> {
  if (refs.length === 0) return [];
  const ids: string[] = [];
  let members: { userId: string; email: string }[] | undefined;
  for (const ref of refs) {
    if (ref === 'me') {
      ids.push((await pm.me.get()).id);
      continue;
    }
    members ??= await pm.members.list(currentOrg(f)).toArray();
    const found = members.find((m) => m.email.toLowerCase() === ref.toLowerCase());
    if (!found)
      throw new CliError(`${ref} is not a member of this organization`, ExitCode.notFound);
    ids.push(found.userId);
  }
  return ids;
}
