import { type Paginated, type PaginateOptions, paginate } from '../paginate.js';
import type {
  BulkTaskChange,
  BulkTaskResult,
  CreateTaskRequest,
  ListQuery,
  Task,
  TaskActivity,
  TaskCounts,
  TaskDependencies,
  UpdateTaskRequest,
  WriteOptions,
} from '../types.js';
import { ifMatchHeader, type UpdateOptions } from './projects.js';
import { data, idempotency, pageQuery, type ResourceContext, segment } from './shared.js';

/** Filters of a task list; lists may be arrays or comma-separated strings. */
export interface TaskFilters {
  /** Status ids or names. */
  status?: string | string[];
  category?: string | string[];
  /** A user id, or `me`. */
  assignee?: string;
  label?: string;
  priority?: string | string[];
  /** A task id or key, or `none` for top-level tasks. */
  parent?: string;
  dueBefore?: string;
  dueAfter?: string;
  updatedSince?: string | Date;
  /** Full-text search (web search syntax). */
  q?: string;
  /** A milestone id, or `none` for tasks without one. */
  milestone?: string;
  /** `<field id>=<value>`: tasks whose custom field has (a multi-select: includes) the value. */
  field?: string;
}

export interface TaskListQuery extends TaskFilters, ListQuery {
  /** `created`, `updated`, `priority`, `due`, `position`; `-` for descending. */
  sort?: string;
}

export interface TasksResource {
  /** A project's live tasks (project id or key), filtered; newest first by default. */
  list(project: string, query?: TaskListQuery, options?: PaginateOptions): Paginated<Task>;
  /** Counts by status, with the same filters as `list`. */
  counts(project: string, query?: TaskFilters): Promise<TaskCounts>;
  create(project: string, body: CreateTaskRequest, options?: WriteOptions): Promise<Task>;
  /** By id or key (`WEB-42`). */
  get(task: string): Promise<Task>;
  update(task: string, body: UpdateTaskRequest, options?: UpdateOptions): Promise<Task>;
  delete(task: string): Promise<void>;
  restore(task: string): Promise<Task>;
  /**
   * One change to up to 500 tasks (ids or keys) in one transaction; each task is reported, and
   * those that cannot take it fail alone.
   */
  bulk(tasks: string[], change: BulkTaskChange, options?: WriteOptions): Promise<BulkTaskResult>;
  /** Who changed what on the task, newest first. */
  activity(task: string, query?: ListQuery, options?: PaginateOptions): Paginated<TaskActivity>;
  dependencies: {
    /** What the task blocks and what blocks it. */
    list(task: string): Promise<TaskDependencies>;
    /**
     * `{ blocks: 'WEB-7' }` or `{ blockedBy: 'WEB-3' }`; a link that would close a cycle fails
     * with 409 `dependency-cycle`, the cycle in `error.problem.cycle`.
     */
    add(
      task: string,
      link: { blocks: string } | { blockedBy: string },
      options?: WriteOptions,
    ): Promise<TaskDependencies>;
    /** Unlinks two tasks, whichever way the link runs. */
    remove(task: string, other: string): Promise<void>;
  };
}

const joined = (value: string | string[] | undefined) =>
  Array.isArray(value) ? value.join(',') : value;

function filtersOf(query: TaskFilters): Record<string, string> {
  const out: Record<string, string | undefined> = {
    status: joined(query.status),
    category: joined(query.category),
    assignee: query.assignee,
    label: query.label,
    priority: joined(query.priority),
    parent: query.parent,
    dueBefore: query.dueBefore,
    dueAfter: query.dueAfter,
    updatedSince:
      query.updatedSince instanceof Date ? query.updatedSince.toISOString() : query.updatedSince,
    q: query.q,
    milestone: query.milestone,
    field: query.field,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
}

export function tasksResource({ raw }: ResourceContext): TasksResource {
  const projectRef = (project: string) => ({ project: segment('project', project) });
  const taskRef = (task: string) => ({ path: { task: segment('task', task) } });
  return {
    list(project, query = {}, options) {
      const { sort, limit } = query;
      const base = {
        ...filtersOf(query),
        ...(sort ? { sort } : {}),
        ...(limit ? { limit } : {}),
      };
      return paginate(
        async (cursor) =>
          data(
            await raw.GET('/v1/projects/{project}/tasks', {
              params: { path: projectRef(project), query: pageQuery(base, cursor) },
            }),
          ),
        options,
      );
    },
    counts: async (project, query = {}) =>
      data(
        await raw.GET('/v1/projects/{project}/task-counts', {
          params: { path: projectRef(project), query: filtersOf(query) },
        }),
      ),
    create: async (project, body, options) =>
      data(
        await raw.POST('/v1/projects/{project}/tasks', {
          params: { path: projectRef(project) },
          body,
          headers: idempotency(options),
        }),
      ),
    get: async (task) => data(await raw.GET('/v1/tasks/{task}', { params: taskRef(task) })),
    update: async (task, body, options) =>
      data(
        await raw.PATCH('/v1/tasks/{task}', {
          params: taskRef(task),
          body,
          headers: { ...idempotency(options), ...ifMatchHeader(options) },
        }),
      ),
    async delete(task) {
      await raw.DELETE('/v1/tasks/{task}', { params: taskRef(task) });
    },
    restore: async (task) =>
      data(await raw.POST('/v1/tasks/{task}/restore', { params: taskRef(task) })),
    bulk: async (tasks, change, options) =>
      data(
        await raw.POST('/v1/tasks/bulk', {
          body: { tasks, change },
          headers: idempotency(options),
        }),
      ),
    activity(task, query = {}, options) {
      return paginate(
        async (cursor) =>
          data(
            await raw.GET('/v1/tasks/{task}/activity', {
              params: { ...taskRef(task), query: pageQuery(query, cursor) },
            }),
          ),
        options,
      );
    },
    dependencies: {
      list: async (task) =>
        data(await raw.GET('/v1/tasks/{task}/dependencies', { params: taskRef(task) })),
      add: async (task, link, options) =>
        data(
          await raw.POST('/v1/tasks/{task}/dependencies', {
            params: taskRef(task),
            body: link,
            headers: idempotency(options),
          }),
        ),
      async remove(task, other) {
        await raw.DELETE('/v1/tasks/{task}/dependencies/{other}', {
          params: { path: { task: segment('task', task), other: segment('other', other) } },
        });
      },
    },
  };
}
