import type { Handlers } from '../../http/handler-types.js';
import { requireOrg } from '../access/authorize.js';
import { requirePrincipal } from '../auth/authenticate.js';
import { change, withEtag } from '../projects/routes.js';
import type { BulkTaskService } from './bulk.js';
import type { DependencyService } from './dependencies.js';
import type { TaskService } from './service.js';

type TaskOps =
  | 'listTasks'
  | 'countTasks'
  | 'createTask'
  | 'getTask'
  | 'updateTask'
  | 'deleteTask'
  | 'restoreTask';

type DependencyOps =
  | 'listTaskDependencies'
  | 'addTaskDependency'
  | 'removeTaskDependency'
  | 'listTaskActivity'
  | 'getCriticalPath';

export function bulkHandlers(bulk: BulkTaskService): Pick<Handlers, 'bulkUpdateTasks'> {
  return {
    bulkUpdateTasks: async (input) => ({
      status: 200,
      body: await bulk.apply(requireOrg(input.org), input.body, change(input)),
    }),
  };
}

export function dependencyHandlers(deps: DependencyService): Pick<Handlers, DependencyOps> {
  return {
    listTaskDependencies: async ({ org, located }) => ({
      status: 200,
      body: await deps.list(requireOrg(org), locatedAs('task', located)),
    }),
    addTaskDependency: async (input) => ({
      status: 201,
      body: await deps.add(
        requireOrg(input.org),
        locatedAs('task', input.located),
        input.body,
        change(input),
      ),
    }),
    removeTaskDependency: async (input) => {
      await deps.remove(
        requireOrg(input.org),
        locatedAs('task', input.located),
        input.params.other,
        change(input),
      );
      return { status: 204 };
    },
    listTaskActivity: async ({ org, located, query }) => ({
      status: 200,
      body: await deps.activity(requireOrg(org), locatedAs('task', located), query),
    }),
    getCriticalPath: async ({ org, located }) => ({
      status: 200,
      body: await deps.criticalPath(requireOrg(org), locatedAs('project', located)),
    }),
  };
}

const locatedAs = (name: 'project' | 'task', located: Readonly<Record<string, string>>) => {
  const id = located[name];
  if (!id) throw new Error(`authorize stage did not locate the ${name}`);
  return id;
};

export function taskHandlers(tasks: TaskService): Pick<Handlers, TaskOps> {
  return {
    listTasks: async ({ org, principal, located, query }) => ({
      status: 200,
      body: await tasks.list(
        requireOrg(org),
        requirePrincipal(principal),
        locatedAs('project', located),
        query,
      ),
    }),
    countTasks: async ({ org, principal, located, query }) => ({
      status: 200,
      body: await tasks.counts(
        requireOrg(org),
        requirePrincipal(principal),
        locatedAs('project', located),
        query,
      ),
    }),
    createTask: async (input) =>
      withEtag(
        201,
        await tasks.create(
          requireOrg(input.org),
          requirePrincipal(input.principal),
          locatedAs('project', input.located),
          input.body,
          change(input),
        ),
      ),
    getTask: async ({ org, located }) =>
      withEtag(200, await tasks.get(requireOrg(org), locatedAs('task', located))),
    updateTask: async (input) =>
      withEtag(
        200,
        await tasks.update(
          requireOrg(input.org),
          locatedAs('task', input.located),
          input.body,
          input.ctx.get('If-Match'),
          change(input),
        ),
      ),
    deleteTask: async (input) => {
      await tasks.delete(requireOrg(input.org), locatedAs('task', input.located), change(input));
      return { status: 204 };
    },
    restoreTask: async (input) =>
      withEtag(
        200,
        await tasks.restore(requireOrg(input.org), locatedAs('task', input.located), change(input)),
      ),
  };
}
