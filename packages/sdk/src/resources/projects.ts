import { type Paginated, type PaginateOptions, paginate } from '../paginate.js';
import type {
  CreateProjectRequest,
  CreateStatusRequest,
  CriticalPath,
  ListQuery,
  Project,
  ProjectState,
  UpdateProjectRequest,
  UpdateStatusRequest,
  WorkflowStatus,
  WriteOptions,
} from '../types.js';
import {
  type FieldsResource,
  fieldsResource,
  type MilestonesResource,
  milestonesResource,
  type ProjectTemplatesResource,
  projectTemplatesResource,
} from './project-parts.js';
import { data, idempotency, pageQuery, type ResourceContext, segment } from './shared.js';

export interface ProjectListQuery extends ListQuery {
  status?: ProjectState;
  /** `exclude` (default), `include` or `only` archived projects. */
  archived?: 'exclude' | 'include' | 'only';
}

export interface UpdateOptions extends WriteOptions {
  /** The `ETag` (or version) you read: a change made since is refused with 412. */
  ifMatch?: string | number;
}

export const ifMatchHeader = (options?: UpdateOptions): Record<string, string> =>
  options?.ifMatch === undefined
    ? {}
    : {
        'If-Match': typeof options.ifMatch === 'number' ? `"${options.ifMatch}"` : options.ifMatch,
      };

export interface StatusesResource {
  /** The workflow, in order. */
  list(project: string): Promise<WorkflowStatus[]>;
  create(
    project: string,
    body: CreateStatusRequest,
    options?: WriteOptions,
  ): Promise<WorkflowStatus>;
  update(project: string, id: string, body: UpdateStatusRequest): Promise<WorkflowStatus>;
  /** Removes a status; its tasks move to `moveTo` (required when it has any). */
  delete(project: string, id: string, options?: { moveTo?: string }): Promise<void>;
}

export interface ProjectsResource {
  /** Live projects of an organization, newest first. */
  list(org: string, query?: ProjectListQuery, options?: PaginateOptions): Paginated<Project>;
  create(org: string, body: CreateProjectRequest, options?: WriteOptions): Promise<Project>;
  /** By id, or key (`WEB`) in the client's organization. */
  get(project: string): Promise<Project>;
  update(project: string, body: UpdateProjectRequest, options?: UpdateOptions): Promise<Project>;
  archive(project: string): Promise<Project>;
  /** Undoes archiving, or (Admins) deleting. */
  restore(project: string): Promise<Project>;
  delete(project: string): Promise<void>;
  statuses: StatusesResource;
  /** The longest chain of unfinished tasks by estimate through the dependencies, and its total. */
  criticalPath(project: string): Promise<CriticalPath>;
  /** Custom field definitions. */
  fields: FieldsResource;
  milestones: MilestonesResource;
  /** Projects saved as templates (per organization); create from one with `templateId`. */
  templates: ProjectTemplatesResource;
}

export function projectsResource(context: ResourceContext): ProjectsResource {
  const { raw } = context;
  const ref = (project: string) => ({ path: { project: segment('project', project) } });
  return {
    list: (org, query = {}, options) =>
      paginate(
        async (cursor) =>
          data(
            await raw.GET('/v1/orgs/{org}/projects', {
              params: { path: { org: segment('org', org) }, query: pageQuery(query, cursor) },
            }),
          ),
        options,
      ),
    create: async (org, body, options) =>
      data(
        await raw.POST('/v1/orgs/{org}/projects', {
          params: { path: { org: segment('org', org) } },
          body,
          headers: idempotency(options),
        }),
      ),
    get: async (project) => data(await raw.GET('/v1/projects/{project}', { params: ref(project) })),
    update: async (project, body, options) =>
      data(
        await raw.PATCH('/v1/projects/{project}', {
          params: ref(project),
          body,
          headers: { ...idempotency(options), ...ifMatchHeader(options) },
        }),
      ),
    archive: async (project) =>
      data(await raw.POST('/v1/projects/{project}/archive', { params: ref(project) })),
    restore: async (project) =>
      data(await raw.POST('/v1/projects/{project}/restore', { params: ref(project) })),
    async delete(project) {
      await raw.DELETE('/v1/projects/{project}', { params: ref(project) });
    },
    criticalPath: async (project) =>
      data(await raw.GET('/v1/projects/{project}/critical-path', { params: ref(project) })),
    fields: fieldsResource(context),
    milestones: milestonesResource(context),
    templates: projectTemplatesResource(context),
    statuses: {
      list: async (project) =>
        data(await raw.GET('/v1/projects/{project}/statuses', { params: ref(project) })).items,
      create: async (project, body, options) =>
        data(
          await raw.POST('/v1/projects/{project}/statuses', {
            params: ref(project),
            body,
            headers: idempotency(options),
          }),
        ),
      update: async (project, id, body) =>
        data(
          await raw.PATCH('/v1/projects/{project}/statuses/{status}', {
            params: {
              path: { project: segment('project', project), status: segment('status', id) },
            },
            body,
          }),
        ),
      async delete(project, id, options = {}) {
        await raw.DELETE('/v1/projects/{project}/statuses/{status}', {
          params: {
            path: { project: segment('project', project), status: segment('status', id) },
            query: options.moveTo ? { moveTo: options.moveTo } : {},
          },
        });
      },
    },
  };
}
