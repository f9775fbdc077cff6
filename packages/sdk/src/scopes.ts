import type { Scope } from './types.js';

/**
 * Every API key scope the contract defines, for validating user input at run time. The type
 * checks below fail to compile when the contract's `Scope` enum and this list drift apart.
 */
export const SCOPES = [
  'orgs:read',
  'orgs:write',
  'members:read',
  'members:write',
  'invitations:read',
  'invitations:write',
  'audit:read',
  'audit:write',
  'projects:read',
  'projects:write',
  'tasks:read',
  'tasks:write',
  'time:read',
  'time:write',
  'reports:read',
  'reports:write',
  'leads:read',
  'leads:write',
] as const satisfies readonly Scope[];

type Missing = Exclude<Scope, (typeof SCOPES)[number]>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
