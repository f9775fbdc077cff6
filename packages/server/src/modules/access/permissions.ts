import type { OperationId } from '../../http/handler-types.js';

export const ROLES = ['viewer', 'member', 'manager', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export const roleRank = (role: Role): number => ROLES.indexOf(role);
export const lowerRole = (a: Role, b: Role): Role => (roleRank(a) <= roleRank(b) ? a : b);

/**
 * What may be done inside an organization: the least role that may do it, and the API key scope
 * it needs (several: all of them; null: never with an API key, a person must do it).
 */
export const PERMISSIONS = {
  'org:read': { role: 'viewer', scope: 'orgs:read' },
  'org:update': { role: 'admin', scope: 'orgs:write' },
  'org:transfer': { role: 'owner', scope: null },
  'org:leave': { role: 'viewer', scope: null },
  'members:read': { role: 'viewer', scope: 'members:read' },
  'members:manage': { role: 'admin', scope: 'members:write' },
  'invitations:read': { role: 'admin', scope: 'invitations:read' },
  'invitations:manage': { role: 'admin', scope: 'invitations:write' },
  'apikeys:use': { role: 'member', scope: null },
  'audit:read': { role: 'admin', scope: 'audit:read' },
  'projects:read': { role: 'viewer', scope: 'projects:read' },
  'projects:manage': { role: 'manager', scope: 'projects:write' },
  'projects:delete': { role: 'admin', scope: 'projects:write' },
  'tasks:read': { role: 'viewer', scope: 'tasks:read' },
  'tasks:write': { role: 'member', scope: 'tasks:write' },
  'leads:read': { role: 'viewer', scope: 'leads:read' },
  // Members work the leads they own (the service checks ownership); Managers all of them.
  'leads:write': { role: 'member', scope: 'leads:write' },
  'leads:pipeline': { role: 'manager', scope: 'leads:write' },
  // Converting creates a project (as projects:manage) and changes the lead: a key needs both.
  'leads:convert': { role: 'manager', scope: ['projects:write', 'leads:write'] },
  // A saved filter is the caller's own view of leads they may read.
  'leads:filters': { role: 'viewer', scope: 'leads:write' },
  // People track and read their own time; the service widens reads and edits to every entry
  // for Managers and Admins.
  'time:read': { role: 'member', scope: 'time:read' },
  'time:track': { role: 'member', scope: 'time:write' },
  'time:rates': { role: 'manager', scope: 'time:write' },
  'time:admin': { role: 'admin', scope: 'time:write' },
  // Viewers read reports only where the organization's time settings allow (the service checks).
  'reports:read': { role: 'viewer', scope: 'reports:read' },
} as const satisfies Record<string, { role: Role; scope: string | readonly string[] | null }>;

export type Permission = keyof typeof PERMISSIONS;

export type OperationAccess =
  /** Anyone, signed in or not. */
  | { kind: 'public' }
  /** A signed-in person; `apiKey` says whether an API key may call it too. */
  | { kind: 'account'; apiKey: boolean }
  /** A member of the `{org}` in the path holding the permission. */
  | { kind: 'org'; permission: Permission };

/**
 * The one table of who may call what. Every operation of the contract must be listed (the type
 * says so), and the role test walks it against the live server.
 */
export const OPERATION_ACCESS: Record<OperationId, OperationAccess> = {
  getHealth: { kind: 'public' },
  getReady: { kind: 'public' },
  getContract: { kind: 'public' },
  getDocs: { kind: 'public' },
  getServerMeta: { kind: 'public' },
  register: { kind: 'public' },
  login: { kind: 'public' },
  refreshSession: { kind: 'public' },
  requestPasswordReset: { kind: 'public' },
  confirmPasswordReset: { kind: 'public' },
  verifyEmail: { kind: 'public' },
  getInvitation: { kind: 'public' },
  declineInvitation: { kind: 'public' },
  logout: { kind: 'account', apiKey: false },
  resendVerificationEmail: { kind: 'account', apiKey: false },
  getMe: { kind: 'account', apiKey: true },
  updateMe: { kind: 'account', apiKey: false },
  changePassword: { kind: 'account', apiKey: false },
  listSessions: { kind: 'account', apiKey: false },
  revokeSession: { kind: 'account', apiKey: false },
  listOrgs: { kind: 'account', apiKey: true },
  createOrg: { kind: 'account', apiKey: false },
  acceptInvitation: { kind: 'account', apiKey: false },
  getOrg: { kind: 'org', permission: 'org:read' },
  getCurrentOrg: { kind: 'org', permission: 'org:read' },
  updateOrg: { kind: 'org', permission: 'org:update' },
  transferOwnership: { kind: 'org', permission: 'org:transfer' },
  listMembers: { kind: 'org', permission: 'members:read' },
  updateMember: { kind: 'org', permission: 'members:manage' },
  removeMember: { kind: 'org', permission: 'members:manage' },
  leaveOrg: { kind: 'org', permission: 'org:leave' },
  listInvitations: { kind: 'org', permission: 'invitations:read' },
  createInvitation: { kind: 'org', permission: 'invitations:manage' },
  revokeInvitation: { kind: 'org', permission: 'invitations:manage' },
  resendInvitation: { kind: 'org', permission: 'invitations:manage' },
  listApiKeys: { kind: 'org', permission: 'apikeys:use' },
  createApiKey: { kind: 'org', permission: 'apikeys:use' },
  revokeApiKey: { kind: 'org', permission: 'apikeys:use' },
  listAuditEvents: { kind: 'org', permission: 'audit:read' },
  listProjects: { kind: 'org', permission: 'projects:read' },
  createProject: { kind: 'org', permission: 'projects:manage' },
  getProject: { kind: 'org', permission: 'projects:read' },
  updateProject: { kind: 'org', permission: 'projects:manage' },
  deleteProject: { kind: 'org', permission: 'projects:delete' },
  archiveProject: { kind: 'org', permission: 'projects:manage' },
  restoreProject: { kind: 'org', permission: 'projects:manage' },
  listStatuses: { kind: 'org', permission: 'projects:read' },
  createStatus: { kind: 'org', permission: 'projects:manage' },
  updateStatus: { kind: 'org', permission: 'projects:manage' },
  deleteStatus: { kind: 'org', permission: 'projects:manage' },
  listTasks: { kind: 'org', permission: 'tasks:read' },
  countTasks: { kind: 'org', permission: 'tasks:read' },
  createTask: { kind: 'org', permission: 'tasks:write' },
  getTask: { kind: 'org', permission: 'tasks:read' },
  updateTask: { kind: 'org', permission: 'tasks:write' },
  deleteTask: { kind: 'org', permission: 'tasks:write' },
  restoreTask: { kind: 'org', permission: 'tasks:write' },
  listTaskDependencies: { kind: 'org', permission: 'tasks:read' },
  addTaskDependency: { kind: 'org', permission: 'tasks:write' },
  removeTaskDependency: { kind: 'org', permission: 'tasks:write' },
  listTaskActivity: { kind: 'org', permission: 'tasks:read' },
  getCriticalPath: { kind: 'org', permission: 'tasks:read' },
  bulkUpdateTasks: { kind: 'org', permission: 'tasks:write' },
  listNotifications: { kind: 'account', apiKey: true },
  markNotificationRead: { kind: 'account', apiKey: true },
  getNotificationSettings: { kind: 'account', apiKey: true },
  updateNotificationSettings: { kind: 'account', apiKey: false },
  listLeads: { kind: 'org', permission: 'leads:read' },
  createLead: { kind: 'org', permission: 'leads:write' },
  getLead: { kind: 'org', permission: 'leads:read' },
  updateLead: { kind: 'org', permission: 'leads:write' },
  deleteLead: { kind: 'org', permission: 'leads:write' },
  bulkUpdateLeads: { kind: 'org', permission: 'leads:write' },
  convertLead: { kind: 'org', permission: 'leads:convert' },
  listLeadFilters: { kind: 'org', permission: 'leads:read' },
  createLeadFilter: { kind: 'org', permission: 'leads:filters' },
  deleteLeadFilter: { kind: 'org', permission: 'leads:filters' },
  listLeadStatuses: { kind: 'org', permission: 'leads:read' },
  createLeadStatus: { kind: 'org', permission: 'leads:pipeline' },
  updateLeadStatus: { kind: 'org', permission: 'leads:pipeline' },
  deleteLeadStatus: { kind: 'org', permission: 'leads:pipeline' },
  createLeadImport: { kind: 'org', permission: 'leads:write' },
  getLeadImport: { kind: 'org', permission: 'leads:read' },
  getLeadImportErrors: { kind: 'org', permission: 'leads:read' },
  getLeadStats: { kind: 'org', permission: 'leads:read' },
  listLeadScoringRules: { kind: 'org', permission: 'leads:read' },
  createLeadScoringRule: { kind: 'org', permission: 'leads:pipeline' },
  updateLeadScoringRule: { kind: 'org', permission: 'leads:pipeline' },
  deleteLeadScoringRule: { kind: 'org', permission: 'leads:pipeline' },
  listFields: { kind: 'org', permission: 'projects:read' },
  createField: { kind: 'org', permission: 'projects:manage' },
  updateField: { kind: 'org', permission: 'projects:manage' },
  deleteField: { kind: 'org', permission: 'projects:manage' },
  listMilestones: { kind: 'org', permission: 'projects:read' },
  createMilestone: { kind: 'org', permission: 'projects:manage' },
  getMilestone: { kind: 'org', permission: 'projects:read' },
  updateMilestone: { kind: 'org', permission: 'projects:manage' },
  deleteMilestone: { kind: 'org', permission: 'projects:manage' },
  listProjectTemplates: { kind: 'org', permission: 'projects:read' },
  createProjectTemplate: { kind: 'org', permission: 'projects:manage' },
  getProjectTemplate: { kind: 'org', permission: 'projects:read' },
  deleteProjectTemplate: { kind: 'org', permission: 'projects:manage' },
  getTimer: { kind: 'org', permission: 'time:read' },
  startTimer: { kind: 'org', permission: 'time:track' },
  stopTimer: { kind: 'org', permission: 'time:track' },
  pauseTimer: { kind: 'org', permission: 'time:track' },
  resumeTimer: { kind: 'org', permission: 'time:track' },
  cancelTimer: { kind: 'org', permission: 'time:track' },
  listTimeEntries: { kind: 'org', permission: 'time:read' },
  createTimeEntry: { kind: 'org', permission: 'time:track' },
  getTimeEntry: { kind: 'org', permission: 'time:read' },
  updateTimeEntry: { kind: 'org', permission: 'time:track' },
  deleteTimeEntry: { kind: 'org', permission: 'time:track' },
  listTimeLocks: { kind: 'org', permission: 'time:read' },
  createTimeLock: { kind: 'org', permission: 'time:admin' },
  deleteTimeLock: { kind: 'org', permission: 'time:admin' },
  getTimeSettings: { kind: 'org', permission: 'time:read' },
  updateTimeSettings: { kind: 'org', permission: 'time:admin' },
  listProjectRates: { kind: 'org', permission: 'time:rates' },
  setProjectRate: { kind: 'org', permission: 'time:rates' },
  getTimeReport: { kind: 'org', permission: 'reports:read' },
};

/** Does a scope list grant `needed`? `x:write` includes `x:read`. */
export function scopeGrants(scopes: readonly string[], needed: string): boolean {
  const [resource] = needed.split(':');
  return (
    scopes.includes(needed) || (needed.endsWith(':read') && scopes.includes(`${resource}:write`))
  );
}

export function describePermission(permission: Permission): string {
  const { role } = PERMISSIONS[permission];
  return `the ${permission} permission (${role[0]!.toUpperCase()}${role.slice(1)} or above)`;
}
