import { randomUUID } from 'node:crypto';
import { contractValidator } from '@pmkit/server';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, addMember, PASSWORD, signUp } from './helpers.js';

const ROLES = ['viewer', 'member', 'manager', 'admin', 'owner'] as const;
type Role = (typeof ROLES)[number];

/**
 * The policy, written out by hand and independent of the table the server enforces
 * (modules/access/permissions.ts): per operation, who may call it. `roles`: the roles of the
 * `{org}` that may; `scope`: the API key scope that lets a key call it (several: a key needs all
 * of them; null: never a key).
 * `account`: any signed-in person, and a key when `apiKey`. A new operation fails the run until
 * it has a row here.
 */
type Policy =
  | { kind: 'public' }
  | { kind: 'account'; apiKey: boolean }
  | { kind: 'org'; roles: readonly Role[]; scope: string | readonly string[] | null };

const ANYONE = ROLES;
const MEMBER_UP = ['member', 'manager', 'admin', 'owner'] as const;
const ADMIN_UP = ['admin', 'owner'] as const;
const MANAGER_UP = ['manager', 'admin', 'owner'] as const;
const POLICY: Record<string, Policy> = {
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
  getOrg: { kind: 'org', roles: ANYONE, scope: 'orgs:read' },
  getCurrentOrg: { kind: 'org', roles: ANYONE, scope: 'orgs:read' },
  updateOrg: { kind: 'org', roles: ADMIN_UP, scope: 'orgs:write' },
  transferOwnership: { kind: 'org', roles: ['owner'], scope: null },
  listMembers: { kind: 'org', roles: ANYONE, scope: 'members:read' },
  updateMember: { kind: 'org', roles: ADMIN_UP, scope: 'members:write' },
  removeMember: { kind: 'org', roles: ADMIN_UP, scope: 'members:write' },
  leaveOrg: { kind: 'org', roles: ANYONE, scope: null },
  listInvitations: { kind: 'org', roles: ADMIN_UP, scope: 'invitations:read' },
  createInvitation: { kind: 'org', roles: ADMIN_UP, scope: 'invitations:write' },
  revokeInvitation: { kind: 'org', roles: ADMIN_UP, scope: 'invitations:write' },
  resendInvitation: { kind: 'org', roles: ADMIN_UP, scope: 'invitations:write' },
  listApiKeys: { kind: 'org', roles: MEMBER_UP, scope: null },
  createApiKey: { kind: 'org', roles: MEMBER_UP, scope: null },
  revokeApiKey: { kind: 'org', roles: MEMBER_UP, scope: null },
  listAuditEvents: { kind: 'org', roles: ADMIN_UP, scope: 'audit:read' },
  listProjects: { kind: 'org', roles: ANYONE, scope: 'projects:read' },
  createProject: { kind: 'org', roles: MANAGER_UP, scope: 'projects:write' },
  getProject: { kind: 'org', roles: ANYONE, scope: 'projects:read' },
  updateProject: { kind: 'org', roles: MANAGER_UP, scope: 'projects:write' },
  deleteProject: { kind: 'org', roles: ADMIN_UP, scope: 'projects:write' },
  archiveProject: { kind: 'org', roles: MANAGER_UP, scope: 'projects:write' },
  restoreProject: { kind: 'org', roles: MANAGER_UP, scope: 'projects:write' },
  listStatuses: { kind: 'org', roles: ANYONE, scope: 'projects:read' },
  createStatus: { kind: 'org', roles: MANAGER_UP, scope: 'projects:write' },
  updateStatus: { kind: 'org', roles: MANAGER_UP, scope: 'projects:write' },
  deleteStatus: { kind: 'org', roles: MANAGER_UP, scope: 'projects:write' },
  listTasks: { kind: 'org', roles: ANYONE, scope: 'tasks:read' },
  countTasks: { kind: 'org', roles: ANYONE, scope: 'tasks:read' },
  createTask: { kind: 'org', roles: MEMBER_UP, scope: 'tasks:write' },
  getTask: { kind: 'org', roles: ANYONE, scope: 'tasks:read' },
  updateTask: { kind: 'org', roles: MEMBER_UP, scope: 'tasks:write' },
  deleteTask: { kind: 'org', roles: MEMBER_UP, scope: 'tasks:write' },
  restoreTask: { kind: 'org', roles: MEMBER_UP, scope: 'tasks:write' },
  listTaskDependencies: { kind: 'org', roles: ANYONE, scope: 'tasks:read' },
  addTaskDependency: { kind: 'org', roles: MEMBER_UP, scope: 'tasks:write' },
  removeTaskDependency: { kind: 'org', roles: MEMBER_UP, scope: 'tasks:write' },
  listTaskActivity: { kind: 'org', roles: ANYONE, scope: 'tasks:read' },
  getCriticalPath: { kind: 'org', roles: ANYONE, scope: 'tasks:read' },
  bulkUpdateTasks: { kind: 'org', roles: MEMBER_UP, scope: 'tasks:write' },
  listNotifications: { kind: 'account', apiKey: true },
  markNotificationRead: { kind: 'account', apiKey: true },
  getNotificationSettings: { kind: 'account', apiKey: true },
  updateNotificationSettings: { kind: 'account', apiKey: false },
  listLeads: { kind: 'org', roles: ANYONE, scope: 'leads:read' },
  createLead: { kind: 'org', roles: MEMBER_UP, scope: 'leads:write' },
  getLead: { kind: 'org', roles: ANYONE, scope: 'leads:read' },
  updateLead: { kind: 'org', roles: MEMBER_UP, scope: 'leads:write' },
  deleteLead: { kind: 'org', roles: MEMBER_UP, scope: 'leads:write' },
  bulkUpdateLeads: { kind: 'org', roles: MEMBER_UP, scope: 'leads:write' },
  convertLead: { kind: 'org', roles: MANAGER_UP, scope: ['projects:write', 'leads:write'] },
  listLeadFilters: { kind: 'org', roles: ANYONE, scope: 'leads:read' },
  createLeadFilter: { kind: 'org', roles: ANYONE, scope: 'leads:write' },
  deleteLeadFilter: { kind: 'org', roles: ANYONE, scope: 'leads:write' },
  listLeadStatuses: { kind: 'org', roles: ANYONE, scope: 'leads:read' },
  createLeadStatus: { kind: 'org', roles: MANAGER_UP, scope: 'leads:write' },
  updateLeadStatus: { kind: 'org', roles: MANAGER_UP, scope: 'leads:write' },
  deleteLeadStatus: { kind: 'org', roles: MANAGER_UP, scope: 'leads:write' },
  createLeadImport: { kind: 'org', roles: MEMBER_UP, scope: 'leads:write' },
  getLeadImport: { kind: 'org', roles: ANYONE, scope: 'leads:read' },
  getLeadImportErrors: { kind: 'org', roles: ANYONE, scope: 'leads:read' },
  getLeadStats: { kind: 'org', roles: ANYONE, scope: 'leads:read' },
  listLeadScoringRules: { kind: 'org', roles: ANYONE, scope: 'leads:read' },
  createLeadScoringRule: { kind: 'org', roles: MANAGER_UP, scope: 'leads:write' },
  updateLeadScoringRule: { kind: 'org', roles: MANAGER_UP, scope: 'leads:write' },
  deleteLeadScoringRule: { kind: 'org', roles: MANAGER_UP, scope: 'leads:write' },
  listFields: { kind: 'org', roles: ANYONE, scope: 'projects:read' },
  createField: { kind: 'org', roles: MANAGER_UP, scope: 'projects:write' },
  updateField: { kind: 'org', roles: MANAGER_UP, scope: 'projects:write' },
  deleteField: { kind: 'org', roles: MANAGER_UP, scope: 'projects:write' },
  listMilestones: { kind: 'org', roles: ANYONE, scope: 'projects:read' },
  createMilestone: { kind: 'org', roles: MANAGER_UP, scope: 'projects:write' },
  getMilestone: { kind: 'org', roles: ANYONE, scope: 'projects:read' },
  updateMilestone: { kind: 'org', roles: MANAGER_UP, scope: 'projects:write' },
  deleteMilestone: { kind: 'org', roles: MANAGER_UP, scope: 'projects:write' },
  listProjectTemplates: { kind: 'org', roles: ANYONE, scope: 'projects:read' },
  createProjectTemplate: { kind: 'org', roles: MANAGER_UP, scope: 'projects:write' },
  getProjectTemplate: { kind: 'org', roles: ANYONE, scope: 'projects:read' },
  deleteProjectTemplate: { kind: 'org', roles: MANAGER_UP, scope: 'projects:write' },
  // Viewers pass the gate, then are refused unless the organization lets them see reports.
  getTimeReport: { kind: 'org', roles: MEMBER_UP, scope: 'reports:read' },
  getTimer: { kind: 'org', roles: MEMBER_UP, scope: 'time:read' },
  startTimer: { kind: 'org', roles: MEMBER_UP, scope: 'time:write' },
  stopTimer: { kind: 'org', roles: MEMBER_UP, scope: 'time:write' },
  pauseTimer: { kind: 'org', roles: MEMBER_UP, scope: 'time:write' },
  resumeTimer: { kind: 'org', roles: MEMBER_UP, scope: 'time:write' },
  cancelTimer: { kind: 'org', roles: MEMBER_UP, scope: 'time:write' },
  listTimeEntries: { kind: 'org', roles: MEMBER_UP, scope: 'time:read' },
  createTimeEntry: { kind: 'org', roles: MEMBER_UP, scope: 'time:write' },
  getTimeEntry: { kind: 'org', roles: MEMBER_UP, scope: 'time:read' },
  updateTimeEntry: { kind: 'org', roles: MEMBER_UP, scope: 'time:write' },
  deleteTimeEntry: { kind: 'org', roles: MEMBER_UP, scope: 'time:write' },
  listTimeLocks: { kind: 'org', roles: MEMBER_UP, scope: 'time:read' },
  createTimeLock: { kind: 'org', roles: ADMIN_UP, scope: 'time:write' },
  deleteTimeLock: { kind: 'org', roles: ADMIN_UP, scope: 'time:write' },
  getTimeSettings: { kind: 'org', roles: MEMBER_UP, scope: 'time:read' },
  updateTimeSettings: { kind: 'org', roles: ADMIN_UP, scope: 'time:write' },
  listProjectRates: { kind: 'org', roles: MANAGER_UP, scope: 'time:write' },
  setProjectRate: { kind: 'org', roles: MANAGER_UP, scope: 'time:write' },
};

type OperationId = string;
type Request = {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  contentType?: string;
};

interface Fixture {
  orgId: string;
  takenSlug: string;
  memberEmail: string;
  /** A project (key MAIN) and its task, changed harmlessly; others archived and deleted. */
  projectId: string;
  spareProjectId: string;
  doomedProjectId: string;
  taskId: string;
  doomedTaskId: string;
  /** A deleted lead: found by the authorize stage, then 404 for whoever may try. */
  deletedLead: string;
  /** A deleted time entry, likewise. */
  deletedEntry: string;
}

async function deletedEntry(owner: Account, orgId: string) {
  const entry = await owner.pm.timeEntries.create(orgId, {
    startedAt: '2026-01-05T09:00:00Z',
    endedAt: '2026-01-05T10:00:00Z',
  });
  await owner.pm.timeEntries.delete(entry.id);
  return entry.id;
}

/** The projects and tasks of an organization the walk acts on. */
async function projectFixture(owner: Account, orgId: string) {
  const main = await owner.pm.projects.create(orgId, { key: 'MAIN', name: 'Main' });
  const spare = await owner.pm.projects.create(orgId, { key: 'SPARE', name: 'Spare' });
  const doomed = await owner.pm.projects.create(orgId, { key: 'DOOMED', name: 'Doomed' });
  const task = await owner.pm.tasks.create(main.id, { title: 'Walked' });
  const doomedTask = await owner.pm.tasks.create(main.id, { title: 'Deleted by the walk' });
  return {
    projectId: main.id,
    spareProjectId: spare.id,
    doomedProjectId: doomed.id,
    taskId: task.id,
    doomedTaskId: doomedTask.id,
  };
}

/**
 * For each organization operation: parameters and a body that pass validation and authorization,
 * then fail harmlessly (an unknown id, a taken slug), so every role can be tried on one org.
 */
const REQUESTS: Record<OperationId, (f: Fixture) => Request> = {
  getOrg: () => ({}),
  getCurrentOrg: () => ({}),
  updateOrg: (f) => ({ body: { slug: f.takenSlug } }),
  transferOwnership: () => ({ body: { userId: randomUUID() } }),
  listMembers: () => ({}),
  updateMember: () => ({ params: { user: randomUUID() }, body: { role: 'viewer' } }),
  removeMember: () => ({ params: { user: randomUUID() } }),
  listInvitations: () => ({}),
  createInvitation: (f) => ({ body: { email: f.memberEmail, role: 'viewer' } }),
  revokeInvitation: () => ({ params: { invitation: randomUUID() } }),
  resendInvitation: () => ({ params: { invitation: randomUUID() } }),
  listApiKeys: () => ({}),
  createApiKey: () => ({
    body: { name: 'x', scopes: ['orgs:read'], expiresAt: '2001-01-01T00:00:00Z' },
  }),
  revokeApiKey: () => ({ params: { key: randomUUID() } }),
  listAuditEvents: () => ({}),
  listProjects: () => ({}),
  createProject: () => ({ body: { key: 'MAIN', name: 'Taken key' } }),
  getProject: (f) => ({ params: { project: f.projectId } }),
  updateProject: (f) => ({ params: { project: f.projectId }, body: { description: 'walked' } }),
  deleteProject: (f) => ({ params: { project: f.doomedProjectId } }),
  archiveProject: (f) => ({ params: { project: f.spareProjectId } }),
  restoreProject: (f) => ({ params: { project: f.spareProjectId } }),
  listStatuses: (f) => ({ params: { project: f.projectId } }),
  createStatus: (f) => ({
    params: { project: f.projectId },
    body: { name: 'Todo', category: 'unstarted' },
  }),
  updateStatus: (f) => ({
    params: { project: f.projectId, status: randomUUID() },
    body: { name: 'x' },
  }),
  deleteStatus: (f) => ({ params: { project: f.projectId, status: randomUUID() } }),
  listTasks: (f) => ({ params: { project: f.projectId } }),
  countTasks: (f) => ({ params: { project: f.projectId } }),
  createTask: (f) => ({
    params: { project: f.projectId },
    body: { title: 'x', statusId: randomUUID() },
  }),
  getTask: (f) => ({ params: { task: f.taskId } }),
  updateTask: (f) => ({ params: { task: f.taskId }, body: { title: 'Walked' } }),
  deleteTask: (f) => ({ params: { task: f.doomedTaskId } }),
  restoreTask: (f) => ({ params: { task: f.taskId } }),
  listTaskDependencies: (f) => ({ params: { task: f.taskId } }),
  // Refused after the role check: the other task does not exist.
  addTaskDependency: (f) => ({ params: { task: f.taskId }, body: { blocks: randomUUID() } }),
  removeTaskDependency: (f) => ({ params: { task: f.taskId, other: randomUUID() } }),
  listTaskActivity: (f) => ({ params: { task: f.taskId } }),
  getCriticalPath: (f) => ({ params: { project: f.projectId } }),
  // An unknown task: reported per task, nothing changed.
  bulkUpdateTasks: () => ({ body: { tasks: [randomUUID()], change: { priority: 'low' } } }),
  listLeads: () => ({}),
  // No e-mail or phone: refused with a 400 after authorization.
  createLead: () => ({ body: { name: 'x' } }),
  getLead: (f) => ({ params: { lead: f.deletedLead } }),
  updateLead: (f) => ({ params: { lead: f.deletedLead }, body: { name: 'x' } }),
  deleteLead: (f) => ({ params: { lead: f.deletedLead } }),
  // An unknown lead: reported per lead, nothing changed.
  bulkUpdateLeads: () => ({ body: { leads: [randomUUID()], change: { status: 'won' } } }),
  // A deleted lead: 404 after authorization, no project created.
  convertLead: (f) => ({ params: { lead: f.deletedLead }, body: { key: 'CONV', name: 'x' } }),
  listLeadFilters: () => ({}),
  // A score range nothing matches: a 400 after authorization.
  createLeadFilter: () => ({ body: { name: 'x', query: { scoreMin: 10, scoreMax: 1 } } }),
  deleteLeadFilter: () => ({ params: { filter: randomUUID() } }),
  listLeadStatuses: () => ({}),
  createLeadStatus: () => ({ body: { name: 'new' } }),
  updateLeadStatus: () => ({ params: { leadStatus: randomUUID() }, body: { name: 'x' } }),
  deleteLeadStatus: () => ({ params: { leadStatus: randomUUID() } }),
  // No name column: refused with a 400 after authorization, nothing imported.
  createLeadImport: () => ({ body: 'Email\nx@example.com\n', contentType: 'text/csv' }),
  getLeadImport: () => ({ params: { import: randomUUID() } }),
  getLeadImportErrors: () => ({ params: { import: randomUUID() } }),
  getLeadStats: () => ({}),
  listLeadScoringRules: () => ({}),
  // No value for equals: a 400 after authorization.
  createLeadScoringRule: () => ({ body: { field: 'source', operator: 'equals', points: 1 } }),
  updateLeadScoringRule: () => ({ params: { leadScoringRule: randomUUID() }, body: { points: 1 } }),
  deleteLeadScoringRule: () => ({ params: { leadScoringRule: randomUUID() } }),
  // A select field without options: refused (400) after authorization.
  listFields: (f) => ({ params: { project: f.projectId } }),
  createField: (f) => ({ params: { project: f.projectId }, body: { name: 'x', type: 'select' } }),
  updateField: (f) => ({
    params: { project: f.projectId, field: randomUUID() },
    body: { required: true },
  }),
  deleteField: (f) => ({ params: { project: f.projectId, field: randomUUID() } }),
  listMilestones: (f) => ({ params: { project: f.projectId } }),
  createMilestone: (f) => ({ params: { project: f.projectId }, body: { name: 'Walked' } }),
  getMilestone: (f) => ({ params: { project: f.projectId, milestone: randomUUID() } }),
  updateMilestone: (f) => ({
    params: { project: f.projectId, milestone: randomUUID() },
    body: { name: 'Walked' },
  }),
  deleteMilestone: (f) => ({ params: { project: f.projectId, milestone: randomUUID() } }),
  listProjectTemplates: () => ({}),
  createProjectTemplate: () => ({ body: { projectId: 'NOSUCH', name: 'Walked' } }),
  getProjectTemplate: () => ({ params: { template: randomUUID() } }),
  deleteProjectTemplate: () => ({ params: { template: randomUUID() } }),
  getTimeReport: () => ({ query: { from: '2026-11-16', to: '2026-11-22' } }),
  getTimer: () => ({}),
  // An unknown task: a 400 after authorization, no timer started.
  startTimer: () => ({ body: { task: randomUUID() } }),
  // No timer runs: 404 after authorization.
  stopTimer: () => ({ body: {} }),
  pauseTimer: () => ({}),
  resumeTimer: () => ({}),
  cancelTimer: () => ({}),
  listTimeEntries: () => ({}),
  // No times: a 400 after authorization.
  createTimeEntry: () => ({ body: { note: 'x' } }),
  getTimeEntry: (f) => ({ params: { entry: f.deletedEntry } }),
  updateTimeEntry: (f) => ({ params: { entry: f.deletedEntry }, body: { note: 'x' } }),
  deleteTimeEntry: (f) => ({ params: { entry: f.deletedEntry } }),
  listTimeLocks: () => ({}),
  // Ends before it starts: a 400 after authorization.
  createTimeLock: () => ({ body: { from: '2026-01-10', to: '2026-01-01' } }),
  deleteTimeLock: () => ({ params: { lock: randomUUID() } }),
  getTimeSettings: () => ({}),
  updateTimeSettings: () => ({ body: { allowOverlap: false } }),
  listProjectRates: (f) => ({ params: { project: f.projectId } }),
  // Not a member: a 400 after authorization.
  setProjectRate: (f) => ({
    params: { project: f.projectId },
    body: { userId: randomUUID(), hourlyRate: null },
  }),
};

/** Account operations: a request each that passes authorization, then fails or succeeds harmlessly. */
const ACCOUNT_REQUESTS: Record<OperationId, Request> = {
  logout: {},
  resendVerificationEmail: {},
  getMe: {},
  updateMe: { body: { name: 'Renamed' } },
  changePassword: { body: { currentPassword: PASSWORD, newPassword: PASSWORD } },
  listSessions: {},
  revokeSession: { params: { session: randomUUID() } },
  listOrgs: {},
  createOrg: { body: { name: 'Another' } },
  acceptInvitation: { params: { token: 'pmi_no-such-token' } },
  listNotifications: {},
  markNotificationRead: { params: { notification: randomUUID() } },
  getNotificationSettings: {},
  updateNotificationSettings: { body: { followUpEmail: true } },
};

const REFUSED = [401, 403];

const opsById = new Map(contractValidator().operations.map((op) => [op.operation.operationId, op]));

let server: TestServer;
let fixture: Fixture;
const people = new Map<Role, Account>();

async function call(id: string, token: string, request: Request) {
  const op = opsById.get(id)!;
  const params: Record<string, string> = { org: fixture.orgId, ...request.params };
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(params[name] ?? ''),
  );
  const query = request.query ? `?${new URLSearchParams(request.query)}` : '';
  const res = await server.fetch(`${server.url}${path}${query}`, {
    method: op.method.toUpperCase(),
    headers: {
      Authorization: `Bearer ${token}`,
      // Operations without {org} in their path act in the one PM-Org names.
      'PM-Org': fixture.orgId,
      ...(request.body ? { 'Content-Type': request.contentType ?? 'application/json' } : {}),
    },
    ...(request.body
      ? { body: request.contentType ? String(request.body) : JSON.stringify(request.body) }
      : {}),
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json');
  return {
    status: res.status,
    detail: text && json ? ((JSON.parse(text) as { detail?: string }).detail ?? '') : '',
  };
}

beforeAll(async () => {
  server = await startTestServer();
  const owner = await signUp(server, 'owner');
  people.set('owner', owner);
  const org = await owner.pm.orgs.create({ name: 'Role Table' });
  const other = await owner.pm.orgs.create({ name: 'Slug Holder' });
  for (const role of ROLES.filter((r) => r !== 'owner')) {
    const person = await signUp(server, role);
    await addMember(server, owner, org.id, person, role);
    people.set(role, person);
  }
  const lead = await owner.pm.leads.create(org.id, { name: 'Gone', phone: '+33 6 12 34 56 78' });
  await owner.pm.leads.delete(lead.id);
  fixture = {
    orgId: org.id,
    takenSlug: other.slug,
    memberEmail: people.get('viewer')!.email,
    ...(await projectFixture(owner, org.id)),
    deletedLead: lead.id,
    deletedEntry: await deletedEntry(owner, org.id),
  };
});
afterAll(() => server.close());

const contractOperations = contractValidator().operations;
const SCOPES = contractValidator().resolve<{ enum: string[] }>({
  $ref: '#/components/schemas/Scope',
}).enum;

function policy(id: string): Policy {
  const row = POLICY[id];
  if (!row) throw new Error(`${id} has no row in this test's POLICY: write down who may call it`);
  return row;
}

/** A key of `orgId` holding every scope but those that grant `scope`. */
async function keyWithout(owner: Account, orgId: string, scope: string | null) {
  const resource = scope?.split(':')[0];
  const scopes = SCOPES.filter(
    (s) => s !== scope && !(scope?.endsWith(':read') && s === `${resource}:write`),
  );
  const { secret } = await owner.pm.apiKeys.create(orgId, {
    name: 'without',
    scopes: scopes as never,
  });
  return secret;
}

describe('the policy covers the contract', () => {
  it('every operation has a row, and a request to try it with', () => {
    for (const op of contractOperations) {
      const id = op.operation.operationId;
      const row = policy(id);
      expect(op.public, `${id}: public in the contract`).toBe(row.kind === 'public');
      if (row.kind === 'org' && id !== 'leaveOrg') expect(REQUESTS[id], id).toBeDefined();
      if (row.kind === 'account') expect(ACCOUNT_REQUESTS[id], id).toBeDefined();
    }
    expect(Object.keys(POLICY).sort()).toEqual(
      contractOperations.map((op) => op.operation.operationId).sort(),
    );
  });

  it('without credentials, only public operations answer other than 401', async () => {
    for (const op of contractOperations) {
      const id = op.operation.operationId;
      if (policy(id).kind === 'public') continue;
      const build = REQUESTS[id] ?? (() => ACCOUNT_REQUESTS[id] ?? {});
      const { status } = await call(id, 'pmk_not-a-token', build(fixture));
      expect(status, id).toBe(401);
    }
  });
});

describe('the roles of an organization, walked on the live server', () => {
  for (const [id, build] of Object.entries(REQUESTS)) {
    const row = policy(id);
    if (row.kind !== 'org') continue;
    it(`${id}: ${row.roles.join(', ')}`, async () => {
      for (const role of ROLES) {
        const { status, detail } = await call(id, people.get(role)!.accessToken, build(fixture));
        if (row.roles.includes(role)) {
          expect(REFUSED, `${role} may: ${status} ${detail}`).not.toContain(status);
        } else {
          expect(status, `${role} may not: ${detail}`).toBe(403);
        }
      }
    });
  }

  it('leaveOrg: anyone may leave, but the last Owner', async () => {
    for (const role of ROLES) {
      const { status } = await call('leaveOrg', people.get(role)!.accessToken, {});
      expect(status, role).toBe(role === 'owner' ? 409 : 204);
    }
  });
});

describe('account operations', () => {
  for (const [id, request] of Object.entries(ACCOUNT_REQUESTS)) {
    const row = policy(id);
    it(`${id}: any person${row.kind === 'account' && row.apiKey ? ', and a key' : ', never a key'}`, async () => {
      if (row.kind !== 'account') throw new Error(`${id} is not an account operation`);
      // A fresh person each: logout and a password change end sessions.
      const person = await signUp(server, id);
      const org = await person.pm.orgs.create({ name: `${id} org` });
      const { secret } = await person.pm.apiKeys.create(org.id, {
        name: 'k',
        scopes: SCOPES as never,
      });
      const asPerson = await call(id, person.accessToken, request);
      expect(REFUSED, `person: ${asPerson.status} ${asPerson.detail}`).not.toContain(
        asPerson.status,
      );
      const asKey = await call(id, secret, request);
      if (row.apiKey) {
        expect(REFUSED, `key: ${asKey.status} ${asKey.detail}`).not.toContain(asKey.status);
      } else expect(asKey.status, `key: ${asKey.detail}`).toBe(403);
    });
  }
});

describe('API keys: scopes on top of roles', () => {
  it('a key acts with exactly its scope; without it (holding every other), 403', async () => {
    const owner = await signUp(server, 'keyowner');
    const org = await owner.pm.orgs.create({ name: 'Key Table' });
    const other = await owner.pm.orgs.create({ name: 'Key Slug' });
    const saved = fixture;
    const lead = await owner.pm.leads.create(org.id, { name: 'Gone', email: 'gone@example.com' });
    await owner.pm.leads.delete(lead.id);
    fixture = {
      orgId: org.id,
      takenSlug: other.slug,
      memberEmail: owner.email,
      ...(await projectFixture(owner, org.id)),
      deletedLead: lead.id,
      deletedEntry: await deletedEntry(owner, org.id),
    };
    try {
      for (const [id, build] of Object.entries(REQUESTS)) {
        const row = policy(id);
        if (row.kind !== 'org') continue;
        const scopes = row.scope === null ? [null] : [row.scope].flat();
        for (const scope of scopes) {
          const refused = await call(id, await keyWithout(owner, org.id, scope), build(fixture));
          expect(refused.status, `${id} without ${scope}: ${refused.detail}`).toBe(403);
        }
        if (!row.scope) continue;
        const { secret: withScope } = await owner.pm.apiKeys.create(org.id, {
          name: 'with',
          scopes: [row.scope].flat() as 'audit:read'[],
        });
        const allowed = await call(id, withScope, build(fixture));
        expect(
          REFUSED,
          `${id} with ${row.scope}: ${allowed.status} ${allowed.detail}`,
        ).not.toContain(allowed.status);
      }
    } finally {
      fixture = saved;
    }
  });
});
