import type { components, operations } from '@pmkit/sdk/schema';
import { generateKeyBetween } from 'fractional-indexing';
import { isUuid } from '../../context/located.js';
import type { OrgContext } from '../../context/org.js';
import type { Principal } from '../../context/principal.js';
import type { Database, Queryable } from '../../db/types.js';
import { badRequest, HttpError, notFound } from '../../http/problem.js';
import type { Clock } from '../../lib/clock.js';
import { recordEvent } from '../../lib/events.js';
import { Keyset } from '../../lib/keyset.js';
import type { FieldService } from '../fields/service.js';
import type { MemberService } from '../members/service.js';
import type { MilestoneService } from '../milestones/service.js';
import {
  type Change,
  checkIfMatch,
  type ProjectService,
  projectArchived,
  type StatusRow,
} from '../projects/service.js';
import * as store from './store.js';

type Task = components['schemas']['Task'];
type CreateTask = components['schemas']['CreateTaskRequest'];
type UpdateTask = components['schemas']['UpdateTaskRequest'];
type Priority = components['schemas']['Priority'];

export const PRIORITIES: readonly Priority[] = ['none', 'low', 'medium', 'high', 'urgent'];
const MAX_DEPTH = 7;
const MAX_INT = 2_147_483_647;

export const toTask = (row: store.TaskRow): Task => ({
  id: row.id,
  key: `${row.project_key}-${row.number}`,
  number: row.number,
  projectId: row.project_id,
  title: row.title,
  description: row.description,
  status: { id: row.status_id, name: row.status_name, category: row.status_category },
  priority: PRIORITIES[row.priority]!,
  assigneeIds: row.assignee_ids,
  labels: row.labels,
  estimateMinutes: row.estimate_minutes,
  startDate: row.start_date,
  dueDate: row.due_date,
  parentId: row.parent_id,
  position: row.position,
  milestoneId: row.milestone_id,
  fields: row.fields as Task['fields'],
  version: row.version,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  completedAt: row.completed_at?.toISOString() ?? null,
  deletedAt: row.deleted_at?.toISOString() ?? null,
});

/** `WEB-42` → its parts; undefined when it is not a task key. */
export function parseTaskKey(ref: string): { projectKey: string; number: number } | undefined {
  const match = /^([A-Z][A-Z0-9]{1,9})-([1-9][0-9]{0,9})$/.exec(ref);
  if (!match) return undefined;
  const number = Number(match[2]);
  return number > MAX_INT ? undefined : { projectKey: match[1]!, number };
}

/** The filters of a task list and of its counts: the contract's query of `countTasks`. */
type TaskQuery = NonNullable<operations['countTasks']['parameters']['query']>;
type TaskListQuery = NonNullable<operations['listTasks']['parameters']['query']>;

const field = (name: string, message: string) =>
  badRequest(`${name} ${message}`, [{ path: `/body/${name}`, message }]);

function checkPosition(position: string): void {
  try {
    generateKeyBetween(position, null);
  } catch {
    throw field('position', 'is not a fractional index (use one a task list returned)');
  }
}

export class TaskService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly projects: ProjectService,
    private readonly members: MemberService,
    private readonly fields: FieldService,
    private readonly milestones: MilestoneService,
  ) {}

  orgOf(id: string) {
    return store.orgOfTask(this.db, id);
  }

  idByKey(orgId: string, ref: string) {
    const key = parseTaskKey(ref);
    return key ? store.taskByKey(this.db, orgId, key.projectKey, key.number) : undefined;
  }

  private filter(query: TaskQuery, principal: Principal): store.TaskFilter {
    const filter: store.TaskFilter = {};
    const list = (value: string) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean);
    if (query.status !== undefined) {
      const values = list(query.status);
      filter.statusIds = values.filter((v) => isUuid(v));
      filter.statusNames = values.filter((v) => !isUuid(v)).map((v) => v.toLowerCase());
    }
    if (query.category !== undefined) filter.categories = list(query.category);
    if (query.assignee !== undefined) {
      filter.assignee = query.assignee === 'me' ? principal.userId : query.assignee;
    }
    if (query.label !== undefined) filter.label = query.label;
    if (query.priority !== undefined) {
      filter.priorities = list(query.priority).map((p) => PRIORITIES.indexOf(p as Priority));
    }
    if (query.parent !== undefined) {
      if (query.parent === 'none') filter.parent = { none: true };
      else if (isUuid(query.parent)) filter.parent = { id: query.parent };
      else {
        const key = parseTaskKey(query.parent);
        if (!key) {
          throw badRequest('parent is not a task', [
            { path: '/query/parent', message: 'must be a task id or key, or none' },
          ]);
        }
        filter.parent = key;
      }
    }
    if (query.dueBefore !== undefined) filter.dueBefore = query.dueBefore;
    if (query.dueAfter !== undefined) filter.dueAfter = query.dueAfter;
    if (query.updatedSince !== undefined) filter.updatedSince = query.updatedSince;
    if (query.q !== undefined) filter.q = query.q;
    if (query.field !== undefined) {
      const at = query.field.indexOf('=');
      filter.field = {
        id: query.field.slice(0, at).toLowerCase(),
        value: query.field.slice(at + 1),
      };
    }
    if (query.milestone !== undefined) {
      filter.milestone = query.milestone === 'none' ? { none: true } : { id: query.milestone };
    }
    return filter;
  }

  async list(org: OrgContext, principal: Principal, projectId: string, query: TaskListQuery) {
    const filter = this.filter(query, principal);
    const keyset = new Keyset({
      sortable: {
        created: { sql: 't.number', kind: 'id' },
        updated: { sql: 't.updated_at', kind: 'timestamp' },
        priority: { sql: 't.priority', kind: 'id' },
        due: { sql: 't.due_sort', kind: 'date' },
        position: { sql: 't.position', kind: 'text' },
        ...(filter.q ? { rank: { sql: store.RANK, kind: 'number' as const } } : {}),
      },
      defaultSort: filter.q ? '-rank' : '-created',
      unique: { sql: 't.number', kind: 'id' },
      sort: query.sort,
      cursor: query.cursor,
      limit: query.limit ?? 50,
    });
    const rows = await store.listTasks(this.db, org.id, projectId, filter, keyset);
    // A page with rows proves the project is live; an empty one may mean it is not.
    if (rows.length === 0) await this.projects.live(this.db, org, projectId);
    return keyset.page(rows, toTask);
  }

  async counts(org: OrgContext, principal: Principal, projectId: string, query: TaskQuery) {
    await this.projects.live(this.db, org, projectId);
    const rows = await store.countTasks(this.db, org.id, projectId, this.filter(query, principal));
    return {
      total: rows.reduce((sum, row) => sum + row.count, 0),
      items: rows.map((row) => ({
        status: { id: row.id, name: row.name, category: row.category },
        count: row.count,
      })),
    };
  }

  /** The live task of a live project; 404 otherwise. */
  private async live(q: Queryable, org: OrgContext, id: string, options: { lock?: boolean } = {}) {
    const row = await store.findTask(q, org.id, id, options);
    if (!row || row.deleted_at || row.project_deleted_at) throw notFound('No such task');
    return row;
  }

  async get(org: OrgContext, id: string) {
    return toTask(await this.live(this.db, org, id));
  }

  private async checkAssignees(q: Queryable, org: OrgContext, ids: readonly string[]) {
    const strangers = await this.members.nonMembers(q, org.id, ids);
    if (strangers.length > 0) {
      throw badRequest('Assignees must be members of the organization', [
        {
          path: '/body/assigneeIds',
          message: `not members: ${strangers.join(', ')}`,
        },
      ]);
    }
  }

  /** 400 naming /body/milestoneId unless it is a live milestone of the project. */
  private async checkMilestone(q: Queryable, org: OrgContext, projectId: string, id: string) {
    if (!(await this.milestones.isLive(q, org, projectId, id))) {
      throw field('milestoneId', 'is not a milestone of this project');
    }
  }

  private status(statuses: StatusRow[], id: string): StatusRow {
    const status = statuses.find((s) => s.id === id);
    if (!status) throw field('statusId', 'is not a status of this project');
    return status;
  }

  /** The depth under `parentId`, refusing another project's task, a cycle and a tree too deep. */
  private async placeUnder(
    q: Queryable,
    org: OrgContext,
    projectId: string,
    parentId: string,
    taskId?: string,
  ): Promise<number> {
    const parent = await store.findTask(q, org.id, parentId);
    if (!parent || parent.deleted_at || parent.project_id !== projectId) {
      throw field('parentId', 'is not a task of this project');
    }
    if (taskId) {
      const up = await store.ancestors(q, org.id, parentId);
      if (up.includes(taskId)) {
        throw new HttpError(409, 'A task cannot be placed under itself or its own subtask', {
          type: 'task-cycle',
          errors: [{ path: '/body/parentId', message: 'would make a cycle' }],
        });
      }
    }
    const height = taskId ? await store.subtreeHeight(q, org.id, taskId) : 0;
    if (parent.depth + 1 + height > MAX_DEPTH) {
      throw field('parentId', `would nest subtasks more than ${MAX_DEPTH} deep`);
    }
    return parent.depth + 1;
  }

  async create(
    org: OrgContext,
    principal: Principal,
    projectId: string,
    input: CreateTask,
    change: Change,
  ) {
    if (input.position !== undefined) checkPosition(input.position);
    checkDates(input.startDate, input.dueDate);
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      await this.projects.writable(tx, org, projectId, { lock: true });
      const statuses = await this.projects.statuses(tx, org, projectId);
      const status = input.statusId
        ? this.status(statuses, input.statusId)
        : (statuses.find((s) => s.category === 'unstarted') ?? statuses[0]!);
      const assignees = input.assigneeIds ?? [];
      await this.checkAssignees(tx, org, assignees);
      const depth = input.parentId ? await this.placeUnder(tx, org, projectId, input.parentId) : 0;
      if (input.milestoneId) await this.checkMilestone(tx, org, projectId, input.milestoneId);
      const fields = await this.fields.resolve(tx, org, projectId, input.fields);
      const id = await store.insertTask(tx, {
        orgId: org.id,
        projectId,
        createdBy: principal.userId,
        now,
        title: input.title,
        description: input.description ?? '',
        status_id: status.id,
        priority: PRIORITIES.indexOf(input.priority ?? 'none'),
        labels: input.labels ?? [],
        estimate_minutes: input.estimateMinutes ?? null,
        start_date: input.startDate ?? null,
        due_date: input.dueDate ?? null,
        parent_id: input.parentId ?? null,
        depth,
        // The project row is locked (writable above): concurrent creates get distinct positions.
        position:
          input.position ??
          generateKeyBetween(await store.lastPosition(tx, org.id, projectId), null),
        completed_at: status.category === 'completed' ? now : null,
        milestone_id: input.milestoneId ?? null,
        fields,
      });
      await store.setAssignees(tx, org.id, id, assignees, now);
      const task = toTask((await store.findTask(tx, org.id, id))!);
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'task',
        entityId: id,
        action: 'created',
        changes: { key: task.key, title: task.title, status: task.status.name },
        meta: change.meta,
      });
      return task;
    });
  }

  async update(org: OrgContext, id: string, input: UpdateTask, ifMatch: string, change: Change) {
    if (input.position !== undefined) checkPosition(input.position);
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      const before = await this.live(tx, org, id, { lock: true });
      checkIfMatch(ifMatch, before.version);
      if (before.project_archived_at) throw projectArchived(before.project_key);
      checkDates(
        input.startDate === undefined ? before.start_date : input.startDate,
        input.dueDate === undefined ? before.due_date : input.dueDate,
      );
      const values: Partial<store.TaskValues> = {};
      if (input.title !== undefined) values.title = input.title;
      if (input.description !== undefined) values.description = input.description;
      if (input.statusId !== undefined && input.statusId !== before.status_id) {
        const statuses = await this.projects.statuses(tx, org, before.project_id);
        const status = this.status(statuses, input.statusId);
        values.status_id = status.id;
        const done = status.category === 'completed';
        if (done !== (before.status_category === 'completed')) {
          values.completed_at = done ? now : null;
        }
      }
      if (input.priority !== undefined) values.priority = PRIORITIES.indexOf(input.priority);
      if (input.labels !== undefined) values.labels = input.labels;
      if (input.estimateMinutes !== undefined) values.estimate_minutes = input.estimateMinutes;
      if (input.startDate !== undefined) values.start_date = input.startDate;
      if (input.dueDate !== undefined) values.due_date = input.dueDate;
      if (input.position !== undefined) values.position = input.position;
      if (input.parentId !== undefined && input.parentId !== before.parent_id) {
        const depth = input.parentId
          ? await this.placeUnder(tx, org, before.project_id, input.parentId, id)
          : 0;
        values.parent_id = input.parentId;
        values.depth = depth;
        if (depth !== before.depth) {
          await store.shiftSubtreeDepth(tx, org.id, id, depth - before.depth);
        }
      }
      if (input.milestoneId !== undefined && input.milestoneId !== before.milestone_id) {
        if (input.milestoneId) {
          await this.checkMilestone(tx, org, before.project_id, input.milestoneId);
        }
        values.milestone_id = input.milestoneId;
      }
      if (input.fields !== undefined) {
        values.fields = await this.fields.resolve(
          tx,
          org,
          before.project_id,
          input.fields,
          before.fields,
        );
      }
      if (input.assigneeIds !== undefined) {
        await this.checkAssignees(tx, org, input.assigneeIds);
        await store.setAssignees(tx, org.id, id, input.assigneeIds, now);
      }
      await store.updateTask(tx, org.id, id, values, now);
      const after = (await store.findTask(tx, org.id, id))!;
      const old = toTask(before) as Record<string, unknown>;
      const neu = toTask(after) as Record<string, unknown>;
      const changes: Record<string, unknown> = {};
      for (const name of [
        'title',
        'description',
        'status',
        'priority',
        'assigneeIds',
        'labels',
        'estimateMinutes',
        'startDate',
        'dueDate',
        'parentId',
        'position',
        'milestoneId',
        'fields',
        'completedAt',
      ]) {
        if (JSON.stringify(old[name]) !== JSON.stringify(neu[name])) {
          changes[name] = { old: old[name], new: neu[name] };
        }
      }
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'task',
        entityId: id,
        action: 'updated',
        changes,
        meta: change.meta,
      });
      return toTask(after);
    });
  }

  async delete(org: OrgContext, id: string, change: Change) {
    await this.db.transaction(async (tx) => {
      const before = await this.live(tx, org, id, { lock: true });
      if (before.project_archived_at) throw projectArchived(before.project_key);
      await store.updateTask(tx, org.id, id, { deleted_at: this.clock.now() }, this.clock.now());
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'task',
        entityId: id,
        action: 'deleted',
        changes: { key: `${before.project_key}-${before.number}` },
        meta: change.meta,
      });
    });
  }

  async restore(org: OrgContext, id: string, change: Change) {
    return this.db.transaction(async (tx) => {
      const before = await store.findTask(tx, org.id, id, { lock: true });
      if (!before || before.project_deleted_at) throw notFound('No such task');
      if (!before.deleted_at) return toTask(before);
      if (before.project_archived_at) throw projectArchived(before.project_key);
      await store.updateTask(tx, org.id, id, { deleted_at: null }, this.clock.now());
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'task',
        entityId: id,
        action: 'restored',
        changes: { key: `${before.project_key}-${before.number}` },
        meta: change.meta,
      });
      return toTask((await store.findTask(tx, org.id, id))!);
    });
  }
}

function checkDates(start: string | null | undefined, due: string | null | undefined) {
  if (start && due && due < start) {
    throw badRequest('The due date is before the start date', [
      { path: '/body/dueDate', message: 'must not be before startDate' },
    ]);
  }
}
