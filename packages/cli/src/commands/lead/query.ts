import type { LeadFilterQuery, PmClient } from '@pmkit/sdk';
import { type Command, InvalidArgumentError } from 'commander';
import type { Factory } from '../../factory.js';
import { userIds } from '../../member-refs.js';

export const integer = (value: string) => {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
};

export interface QueryOptions {
  status?: string;
  owner?: string;
  source?: string;
  tag?: string;
  scoreMin?: number;
  scoreMax?: number;
  due?: boolean;
  search?: string;
}

/** The filter flags of `pm lead list` and `pm lead filter save`. */
export function queryOptions(command: Command): Command {
  return command
    .option('--status <status>', 'only leads in this status')
    .option('--owner <member>', 'only leads owned by this member: an e-mail, an id, or "me"')
    .option('--source <source>', 'only leads from this source')
    .option('--tag <tag>', 'only leads with this tag')
    .option('--score-min <n>', 'only leads scoring at least n', integer)
    .option('--score-max <n>', 'only leads scoring at most n', integer)
    .option('--due', 'only leads whose follow-up is due')
    .option('--search <text>', 'text in name, e-mail, phone or company');
}

/** The list query for the flags given (an owner's e-mail becomes their id; `me` stays `me`). */
export async function queryOf(
  f: Factory,
  pm: PmClient,
  options: QueryOptions,
): Promise<LeadFilterQuery> {
  const owner = options.owner?.includes('@')
    ? (await userIds(f, pm, [options.owner]))[0]
    : options.owner;
  return {
    ...(options.status ? { status: options.status } : {}),
    ...(owner ? { owner } : {}),
    ...(options.source ? { source: options.source } : {}),
    ...(options.tag ? { tag: options.tag } : {}),
    ...(options.scoreMin !== undefined ? { scoreMin: options.scoreMin } : {}),
    ...(options.scoreMax !== undefined ? { scoreMax: options.scoreMax } : {}),
    ...(options.due ? { followUpDue: true } : {}),
    ...(options.search ? { q: options.search } : {}),
  };
}

/** A query as one line: `owner=me status=won`. */
export const describeQuery = (query: LeadFilterQuery) =>
  Object.entries(query)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
