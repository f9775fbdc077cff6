import { type Paginated, type PaginateOptions, paginate } from '../paginate.js';
import type {
  CreateMilestoneRequest,
  CreateProjectFieldRequest,
  CreateProjectTemplateRequest,
  ListQuery,
  Milestone,
  ProjectField,
  ProjectTemplate,
  UpdateMilestoneRequest,
  UpdateProjectFieldRequest,
  WriteOptions,
} from '../types.js';
import { data, idempotency, pageQuery, type ResourceContext, segment } from './shared.js';

export interface FieldsResource {
  /** A project's custom field definitions, in order. */
  list(project: string): Promise<ProjectField[]>;
  create(
    project: string,
    body: CreateProjectFieldRequest,
    options?: WriteOptions,
  ): Promise<ProjectField>;
  update(project: string, field: string, body: UpdateProjectFieldRequest): Promise<ProjectField>;
  /** Removes the definition and its values from every task. */
  delete(project: string, field: string): Promise<void>;
}

export interface MilestonesResource {
  /** Live milestones, oldest first, each with its progress. */
  list(project: string, query?: ListQuery, options?: PaginateOptions): Paginated<Milestone>;
  create(project: string, body: CreateMilestoneRequest, options?: WriteOptions): Promise<Milestone>;
  get(project: string, milestone: string): Promise<Milestone>;
  update(project: string, milestone: string, body: UpdateMilestoneRequest): Promise<Milestone>;
  /** Soft delete; its tasks lose their milestone. */
  delete(project: string, milestone: string): Promise<void>;
}

export interface ProjectTemplatesResource {
  /** An organization's templates, newest first. */
  list(org: string, query?: ListQuery, options?: PaginateOptions): Paginated<ProjectTemplate>;
  /** Saves a snapshot of a project (id or key). Create a project from it with `templateId`. */
  create(
    org: string,
    body: CreateProjectTemplateRequest,
    options?: WriteOptions,
  ): Promise<ProjectTemplate>;
  get(org: string, template: string): Promise<ProjectTemplate>;
  delete(org: string, template: string): Promise<void>;
}

export function fieldsResource({ raw }: ResourceContext): FieldsResource {
  const path = (project: string, field: string) => ({
    path: { project: segment('project', project), field: segment('field', field) },
  });
  return {
    list: async (project) =>
      data(
        await raw.GET('/v1/projects/{project}/fields', {
          params: { path: { project: segment('project', project) } },
        }),
      ).items,
    create: async (project, body, options) =>
      data(
        await raw.POST('/v1/projects/{project}/fields', {
          params: { path: { project: segment('project', project) } },
          body,
          headers: idempotency(options),
        }),
      ),
    update: async (project, field, body) =>
      data(
        await raw.PATCH('/v1/projects/{project}/fields/{field}', {
          params: path(project, field),
          body,
        }),
      ),
    async delete(project, field) {
      await raw.DELETE('/v1/projects/{project}/fields/{field}', { params: path(project, field) });
    },
  };
}

export function milestonesResource({ raw }: ResourceContext): MilestonesResource {
  const path = (project: string, milestone: string) => ({
    path: { project: segment('project', project), milestone: segment('milestone', milestone) },
  });
  return {
    list: (project, query = {}, options) =>
      paginate(
        async (cursor) =>
          data(
            await raw.GET('/v1/projects/{project}/milestones', {
              params: {
                path: { project: segment('project', project) },
                query: pageQuery(query, cursor),
              },
            }),
          ),
        options,
      ),
    create: async (project, body, options) =>
      data(
        await raw.POST('/v1/projects/{project}/milestones', {
          params: { path: { project: segment('project', project) } },
          body,
          headers: idempotency(options),
        }),
      ),
    get: async (project, milestone) =>
      data(
        await raw.GET('/v1/projects/{project}/milestones/{milestone}', {
          params: path(project, milestone),
        }),
      ),
    update: async (project, milestone, body) =>
      data(
        await raw.PATCH('/v1/projects/{project}/milestones/{milestone}', {
          params: path(project, milestone),
          body,
        }),
      ),
    async delete(project, milestone) {
      await raw.DELETE('/v1/projects/{project}/milestones/{milestone}', {
        params: path(project, milestone),
      });
    },
  };
}

export function projectTemplatesResource({ raw }: ResourceContext): ProjectTemplatesResource {
  const path = (org: string, template: string) => ({
    path: { org: segment('org', org), template: segment('template', template) },
  });
  return {
    list: (org, query = {}, options) =>
      paginate(
        async (cursor) =>
          data(
            await raw.GET('/v1/orgs/{org}/project-templates', {
              params: { path: { org: segment('org', org) }, query: pageQuery(query, cursor) },
            }),
          ),
        options,
      ),
    create: async (org, body, options) =>
      data(
        await raw.POST('/v1/orgs/{org}/project-templates', {
          params: { path: { org: segment('org', org) } },
          body,
          headers: idempotency(options),
        }),
      ),
    get: async (org, template) =>
      data(
        await raw.GET('/v1/orgs/{org}/project-templates/{template}', {
          params: path(org, template),
        }),
      ),
    async delete(org, template) {
      await raw.DELETE('/v1/orgs/{org}/project-templates/{template}', {
        params: path(org, template),
      });
    },
  };
}
