import type { Context } from 'koa';
import { actorOf, type Principal } from '../../context/principal.js';
import type { Handlers } from '../../http/handler-types.js';
import { requestMeta } from '../../lib/events.js';
import { requireOrg } from '../access/authorize.js';
import { requirePrincipal } from '../auth/authenticate.js';
import { type Change, etagOf, type ProjectService } from './service.js';

type ProjectOps =
  | 'listProjects'
  | 'createProject'
  | 'getProject'
  | 'updateProject'
  | 'deleteProject'
  | 'archiveProject'
  | 'restoreProject'
  | 'listStatuses'
  | 'createStatus'
  | 'updateStatus'
  | 'deleteStatus';

/** Who made a change, for its event. */
export const change = (input: { principal: Principal | null; ctx: Context }) => ({
  actor: actorOf(input.principal),
  meta: requestMeta(input.ctx),
});

/** A reply carrying the resource's version as its ETag. */
export const withEtag = <S extends 200 | 201, T extends { version: number }>(
  status: S,
  body: T,
) => ({ status, body, headers: { ETag: etagOf(body.version) } });

const located = (input: { located: Readonly<Record<string, string>> }) => {
  const id = input.located.project;
  if (!id) throw new Error('authorize stage did not locate the project');
  return id;
};

/** Creates a project from a template (the templates module's use case). */
export type FromTemplate = (
  org: ReturnType<typeof requireOrg>,
  principal: Principal,
  body: Parameters<ProjectService['create']>[2] & { templateId: string },
  change: Change,
) => ReturnType<ProjectService['create']>;

export function projectHandlers(
  projects: ProjectService,
  fromTemplate?: FromTemplate,
): Pick<Handlers, ProjectOps> {
  return {
    listProjects: async ({ org, query }) => ({
      status: 200,
      body: await projects.list(requireOrg(org), query),
    }),
    createProject: async (input) =>
      withEtag(
        201,
        input.body.templateId && fromTemplate
          ? await fromTemplate(
              requireOrg(input.org),
              requirePrincipal(input.principal),
              { ...input.body, templateId: input.body.templateId },
              change(input),
            )
          : await projects.create(
              requireOrg(input.org),
              requirePrincipal(input.principal),
              input.body,
              change(input),
            ),
      ),
    getProject: async (input) =>
      withEtag(200, await projects.get(requireOrg(input.org), located(input))),
    updateProject: async (input) =>
      withEtag(
        200,
        await projects.update(
          requireOrg(input.org),
          located(input),
          input.body,
          input.ctx.get('If-Match'),
          change(input),
        ),
      ),
    deleteProject: async (input) => {
      await projects.delete(requireOrg(input.org), located(input), change(input));
      return { status: 204 };
    },
    archiveProject: async (input) =>
      withEtag(200, await projects.archive(requireOrg(input.org), located(input), change(input))),
    restoreProject: async (input) =>
      withEtag(200, await projects.restore(requireOrg(input.org), located(input), change(input))),
    listStatuses: async (input) => ({
      status: 200,
      body: await projects.listStatuses(requireOrg(input.org), located(input)),
    }),
    createStatus: async (input) => ({
      status: 201,
      body: await projects.createStatus(
        requireOrg(input.org),
        located(input),
        input.body,
        change(input),
      ),
    }),
    updateStatus: async (input) => ({
      status: 200,
      body: await projects.updateStatus(
        requireOrg(input.org),
        located(input),
        input.params.status,
        input.body,
        change(input),
      ),
    }),
    deleteStatus: async (input) => {
      await projects.deleteStatus(
        requireOrg(input.org),
        located(input),
        input.params.status,
        input.query.moveTo,
        change(input),
      );
      return { status: 204 };
    },
  };
}
