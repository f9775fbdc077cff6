import { UsageError } from './errors.js';
import type { Factory } from './factory.js';

/** The organization an org-scoped command acts in: --org, then PM_ORG, then the profile's. */
export function currentOrg(f: Factory): string {
  const org = f.settings().org;
  if (!org) {
    throw new UsageError(
      'no organization selected; pass --org <slug>, set PM_ORG, or run `pm org switch <slug>`',
    );
  }
  return org;
}
