import type { OrgContext } from '../modules/access/authorize.js';

/** For handlers of organization operations, where the authorize stage has set the org. */
export function requireOrg(org: OrgContext | null): OrgContext {
  if (!org) throw new Error('authorize stage did not run for an organization operation');
  return org;
}
