import type { Member, PmClient } from '@pmkit/sdk';
import { CliError, ExitCode, UsageError } from '../../errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const MEMBER_HELP = "the member's e-mail address or user id";

/** Finds a member of `org` by e-mail (case-insensitive) or user id; unknown → exit 4. */
export async function findMember(pm: PmClient, org: string, ref: string): Promise<Member> {
  const byEmail = ref.includes('@');
  if (!byEmail && !UUID.test(ref)) {
    throw new UsageError(`"${ref}" is neither an e-mail address nor a user id`);
  }
  const wanted = ref.toLowerCase();
  for await (const member of pm.members.list(org, { limit: 200 })) {
    if ((byEmail ? member.email : member.userId).toLowerCase() === wanted) return member;
  }
  throw new CliError(`${ref} is not a member of ${org}`, ExitCode.notFound);
}

/**
 * The user id for a member reference. An id is used as given (the server answers 404 for a
 * stranger); an e-mail address is looked up among the members.
 */
export async function memberId(pm: PmClient, org: string, ref: string): Promise<string> {
  if (UUID.test(ref)) return ref;
  return (await findMember(pm, org, ref)).userId;
}
