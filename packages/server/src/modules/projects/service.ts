import type { components } from '@pmkit/sdk/schema';
import type { OrgContext } from '../../context/org.js';
import type { Principal } from '../../context/principal.js';
import type { Database, Queryable } from '../../db/types.js';
import { badRequest, conflict, HttpError, notFound } from '../../http/problem.js';
import type { Clock } from '../../lib/clock.js';
import { type Actor, type RequestMeta, recordEvent } from '../../lib/events.js';
import { byCreation } from '../../lib/keyset.js';
import { roleRank } from '../access/permissions.js';
import * as store from './store.js';

type Project = components['schemas']['Project'];
type CreateProject = components['schemas']['CreateProjectRequest'];
type UpdateProject = components['schemas']['UpdateProjectRequest'];
type WorkflowStatus = components['schemas']['WorkflowStatus'];
export type StatusCategory = components['schemas']['StatusCategory'];
export type ProjectRow = store.ProjectRow;
export type StatusRow = store.StatusRow;

/** Writes a new project's contents in its creating transaction; returns what the event notes. */
export type ProjectSeed = (
  tx: Queryable,
  project: store.ProjectRow,
  now: Date,
) => Promise<Record<string, unknown>>;

/**
 * What a project is made from (a won lead), in the project's creating transaction: `claim` locks
 * and checks it before the project is written (and may give defaults for the project's fields),
 * `link` records the project on it afterwards. The project's `lead_id` names `leadId`.
 */
export interface ProjectOrigin {
  leadId: string;
  claim(tx: Queryable): Promise<Pick<CreateProject, 'clientName'>>;
  link(tx: Queryable, project: store.ProjectRow, now: Date): Promise<void>;
}

export interface Change {
  actor: Actor;
  meta: RequestMeta;
}

export const DEFAULT_WORKFLOW = [
  { name: 'Backlog', category: 'backlog' },
  { name: 'Todo', category: 'unstarted' },
  { name: 'In Progress', category: 'started' },
  { name: 'Done', category: 'completed' },
  { name: 'Cancelled', category: 'cancelled' },
] as const;

export const toProject = (row: store.ProjectRow): Project => ({
  id: row.id,
  key: row.key,
  name: row.name,
  description: row.description,
  status: row.status,
  startDate: row.start_date,
  dueDate: row.due_date,
  budgetHours: row.budget_hours === null ? null : Number(row.budget_hours),
  budget:
    row.budget_amount === null || row.budget_currency === null
      ? null
      : { amount: row.budget_amount, currency: row.budget_currency },
  clientName: row.client_name,
  leadId: row.lead_id,
  version: row.version,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  archivedAt: row.archived_at?.toISOString() ?? null,
  deletedAt: row.deleted_at?.toISOString() ?? null,
});

export const toStatus = (row: store.StatusRow): WorkflowStatus => ({
  id: row.id,
  name: row.name,
  category: row.category,
  position: row.position,
});

export const etagOf = (version: number) => `"${version}"`;

/** 412 unless `ifMatch` (when sent) names `version`. */
export function checkIfMatch(ifMatch: string, version: number): void {
  if (!ifMatch) return;
  const tags = ifMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (tags.includes('*') || tags.includes(etagOf(version))) return;
  throw new HttpError(412, `The resource changed since you read it: it is at version ${version}`, {
    type: 'stale-version',
  });
}

export const projectArchived = (key: string) =>
  conflict(`Project ${key} is archived: restore it to change it or its tasks`, 'project-archived');

/** API fields → columns; `budget` is two columns. */
function columns(input: UpdateProject): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  if (input.name !== undefined) values.name = input.name;
  if (input.description !== undefined) values.description = input.description;
  if (input.status !== undefined) values.status = input.status;
  if (input.startDate !== undefined) values.start_date = input.startDate;
  if (input.dueDate !== undefined) values.due_date = input.dueDate;
  if (input.budgetHours !== undefined) values.budget_hours = input.budgetHours;
  if (input.budget !== undefined) {
    values.budget_amount = input.budget?.amount ?? null;
    values.budget_currency = input.budget?.currency ?? null;
  }
  if (input.clientName !== undefined) values.client_name = input.clientName;
  return values;
}

function checkDates(start: string | null | undefined, due: string | null | undefined) {
  if (start && due && due < start) {
    throw badRequest('The due date is before the start date', [
      { path: '/body/dueDate', message: 'must not be before startDate' },
    ]);
  }
}

export class ProjectService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** The live project (404 when deleted), for other modules inside their transaction. */
  async live(q: Queryable, org: OrgContext, id: string, options: { lock?: boolean } = {}) {
    const row = await store.findProject(q, org.id, id, options);
    if (!row || row.deleted_at) throw notFound('No such project');
    return row;
  }

  /** The live, not archived project: the one whose tasks may change. */
  async writable(q: Queryable, org: OrgContext, id: string, options: { lock?: boolean } = {}) {
    const row = await this.live(q, org, id, options);
    if (row.archived_at) throw projectArchived(row.key);
    return row;
  }

  statuses(q: Queryable, org: OrgContext, projectId: string): Promise<store.StatusRow[]> {
    return store.listStatuses(q, org.id, projectId);
  }

  /** Resolves a project key to its id within an organization (for locators). */
  idByKey(orgId: string, key: string) {
    return store.projectByKey(this.db, orgId, key);
  }

  /** A project id by its key in the organization, inside a transaction. */
  idByKeyIn(q: Queryable, org: OrgContext, key: string) {
    return store.projectByKey(q, org.id, key);
  }

  orgOf(id: string) {
    return store.orgOfProject(this.db, id);
  }

  async list(
    org: OrgContext,
    query: {
      status?: Project['status'];
      archived?: 'exclude' | 'include' | 'only';
      limit?: number;
      cursor?: string;
    },
  ) {
    const keyset = byCreation(query, 'newest');
    const rows = await store.listProjects(this.db, org.id, keyset, {
      status: query.status,
      archived: query.archived ?? 'exclude',
    });
    return keyset.page(rows, toProject);
  }

  async get(org: OrgContext, id: string) {
    return toProject(await this.live(this.db, org, id));
  }

  /**
   * Creates a project with the default workflow, or, given `seed`, with what `seed` writes in the
   * same transaction instead (a template's workflow, fields, milestones and tasks); given
   * `origin`, from a lead.
   */
  async create(
    org: OrgContext,
    principal: Principal,
    input: CreateProject,
    change: Change,
    { seed, origin }: { seed?: ProjectSeed; origin?: ProjectOrigin } = {},
  ) {
    checkDates(input.startDate, input.dueDate);
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      const defaults = origin ? await origin.claim(tx) : {};
      const row = await store.insertProject(tx, {
        orgId: org.id,
        key: input.key,
        createdBy: principal.userId,
        leadId: origin?.leadId ?? null,
        now,
        ...columns({ ...defaults, ...input }),
      });
      if (!row) {
        throw new HttpError(409, `The key ${input.key} is taken in this organization`, {
          type: 'project-key-taken',
          errors: [{ path: '/body/key', message: 'is taken' }],
        });
      }
      const seeded = seed
        ? await seed(tx, row, now)
        : await store.insertStatuses(tx, org.id, row.id, DEFAULT_WORKFLOW, now);
      await origin?.link(tx, row, now);
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'project',
        entityId: row.id,
        action: 'created',
        changes: {
          key: row.key,
          name: row.name,
          ...(origin ? { leadId: origin.leadId } : {}),
          ...(seeded ?? {}),
        },
        meta: change.meta,
      });
      return toProject(row);
    });
  }

  async update(org: OrgContext, id: string, input: UpdateProject, ifMatch: string, change: Change) {
    return this.db.transaction(async (tx) => {
      const before = await this.live(tx, org, id, { lock: true });
      checkIfMatch(ifMatch, before.version);
      if (before.archived_at) throw projectArchived(before.key);
      const values = columns(input);
      checkDates(
        input.startDate === undefined ? before.start_date : input.startDate,
        input.dueDate === undefined ? before.due_date : input.dueDate,
      );
      const after = await store.updateProject(tx, org.id, id, values, this.clock.now());
      const old = toProject(before) as Record<string, unknown>;
      const now = toProject(after) as Record<string, unknown>;
      const changed = Object.fromEntries(
        Object.keys(input)
          .filter((field) => JSON.stringify(old[field]) !== JSON.stringify(now[field]))
          .map((field) => [field, { old: old[field], new: now[field] }]),
      );
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'project',
        entityId: id,
        action: 'updated',
        changes: changed,
        meta: change.meta,
      });
      return toProject(after);
    });
  }

  async archive(org: OrgContext, id: string, change: Change) {
    return this.db.transaction(async (tx) => {
      const before = await this.live(tx, org, id, { lock: true });
      if (before.archived_at) return toProject(before);
      const after = await store.updateProject(
        tx,
        org.id,
        id,
        { archived_at: this.clock.now() },
        this.clock.now(),
      );
      await this.event(tx, org, id, 'archived', change);
      return toProject(after);
    });
  }

  /** Undoes archiving; undoing a delete needs an Admin. */
  async restore(org: OrgContext, id: string, change: Change) {
    return this.db.transaction(async (tx) => {
      const before = await store.findProject(tx, org.id, id, { lock: true });
      if (!before) throw notFound('No such project');
      if (before.deleted_at && roleRank(org.role) < roleRank('admin')) {
        throw new HttpError(403, 'Restoring a deleted project needs the Admin role', {
          type: 'missing-permission',
        });
      }
      if (!before.deleted_at && !before.archived_at) return toProject(before);
      const after = await store.updateProject(
        tx,
        org.id,
        id,
        { archived_at: null, deleted_at: null },
        this.clock.now(),
      );
      await this.event(tx, org, id, 'restored', change);
      return toProject(after);
    });
  }

  async delete(org: OrgContext, id: string, change: Change) {
    await this.db.transaction(async (tx) => {
      await this.live(tx, org, id, { lock: true });
      await store.updateProject(tx, org.id, id, { deleted_at: this.clock.now() }, this.clock.now());
      await this.event(tx, org, id, 'deleted', change);
    });
  }

  private event(tx: Queryable, org: OrgContext, id: string, action: string, change: Change) {
    return recordEvent(tx, {
      orgId: org.id,
      actor: change.actor,
      entity: 'project',
      entityId: id,
      action,
      meta: change.meta,
    });
  }

  // Workflow statuses

  async listStatuses(org: OrgContext, projectId: string) {
    await this.live(this.db, org, projectId);
    const rows = await store.listStatuses(this.db, org.id, projectId);
    return { items: rows.map(toStatus) };
  }

  async createStatus(
    org: OrgContext,
    projectId: string,
    input: components['schemas']['CreateStatusRequest'],
    change: Change,
  ) {
    return this.db.transaction(async (tx) => {
      await this.writable(tx, org, projectId, { lock: true });
      const id = await store.insertStatus(tx, {
        orgId: org.id,
        projectId,
        name: input.name,
        category: input.category,
        now: this.clock.now(),
      });
      if (!id) throw nameTaken(input.name);
      const rows = await store.listStatuses(tx, org.id, projectId);
      const order = rows.filter((row) => row.id !== id).map((row) => row.id);
      order.splice(Math.min(input.position ?? order.length, order.length), 0, id);
      await store.reorderStatuses(tx, org.id, order);
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'project_status',
        entityId: id,
        action: 'created',
        changes: { projectId, name: input.name, category: input.category },
        meta: change.meta,
      });
      return toStatus({ ...rows.find((row) => row.id === id)!, position: order.indexOf(id) });
    });
  }

  async updateStatus(
    org: OrgContext,
    projectId: string,
    statusId: string,
    input: components['schemas']['UpdateStatusRequest'],
    change: Change,
  ) {
    return this.db.transaction(async (tx) => {
      await this.writable(tx, org, projectId, { lock: true });
      const rows = await store.listStatuses(tx, org.id, projectId);
      const before = rows.find((row) => row.id === statusId);
      if (!before) throw notFound('No such status in this project');
      if (
        input.category !== undefined &&
        before.category === 'completed' &&
        input.category !== 'completed' &&
        rows.filter((row) => row.category === 'completed').length === 1
      ) {
        throw conflict('A workflow keeps at least one completed status', 'last-completed-status');
      }
      if (input.name !== undefined || input.category !== undefined) {
        const ok = await store.updateStatus(tx, org.id, statusId, input);
        if (!ok) throw nameTaken(input.name ?? before.name);
      }
      const order = rows.map((row) => row.id);
      if (input.position !== undefined) {
        order.splice(order.indexOf(statusId), 1);
        order.splice(Math.min(input.position, order.length), 0, statusId);
      }
      await store.reorderStatuses(tx, org.id, order);
      const changes: Record<string, unknown> = {};
      for (const field of ['name', 'category'] as const) {
        if (input[field] !== undefined && input[field] !== before[field]) {
          changes[field] = { old: before[field], new: input[field] };
        }
      }
      if (order.indexOf(statusId) !== before.position) {
        changes.position = { old: before.position, new: order.indexOf(statusId) };
      }
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'project_status',
        entityId: statusId,
        action: 'updated',
        changes,
        meta: change.meta,
      });
      return toStatus({
        id: statusId,
        name: input.name ?? before.name,
        category: input.category ?? before.category,
        position: order.indexOf(statusId),
      });
    });
  }

  async deleteStatus(
    org: OrgContext,
    projectId: string,
    statusId: string,
    moveTo: string | undefined,
    change: Change,
  ) {
    await this.db.transaction(async (tx) => {
      await this.writable(tx, org, projectId, { lock: true });
      const rows = await store.listStatuses(tx, org.id, projectId);
      const status = rows.find((row) => row.id === statusId);
      if (!status) throw notFound('No such status in this project');
      if (rows.length === 1) throw conflict('A workflow keeps at least one status', 'last-status');
      if (
        status.category === 'completed' &&
        rows.filter((row) => row.category === 'completed').length === 1
      ) {
        throw conflict('A workflow keeps at least one completed status', 'last-completed-status');
      }
      let moved = 0;
      if ((await store.tasksInStatus(tx, org.id, statusId)) > 0) {
        const target = rows.find((row) => row.id === moveTo && row.id !== statusId);
        if (!moveTo) {
          throw conflict(
            'Tasks use this status: say which status they move to with moveTo',
            'status-in-use',
          );
        }
        if (!target) {
          throw badRequest('moveTo must be another status of this project', [
            { path: '/query/moveTo', message: 'is not another status of this project' },
          ]);
        }
        moved = await store.moveTasks(
          tx,
          org.id,
          statusId,
          { id: target.id, completed: target.category === 'completed' },
          this.clock.now(),
        );
      }
      await store.deleteStatus(tx, org.id, statusId);
      await store.reorderStatuses(
        tx,
        org.id,
        rows.filter((row) => row.id !== statusId).map((row) => row.id),
      );
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'project_status',
        entityId: statusId,
        action: 'deleted',
        changes: { projectId, name: status.name, movedTo: moved ? moveTo : null, moved },
        meta: change.meta,
      });
    });
  }
}

const nameTaken = (name: string) =>
  new HttpError(409, `This workflow already has a status named ${name}`, {
    type: 'status-name-taken',
    errors: [{ path: '/body/name', message: 'is taken' }],
  });
