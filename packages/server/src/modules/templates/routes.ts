import type { Handlers } from '../../http/handler-types.js';
import { requireOrg } from '../access/authorize.js';
import { requirePrincipal } from '../auth/authenticate.js';
import { change } from '../projects/routes.js';
import type { TemplateService } from './service.js';

type TemplateOps =
  | 'listProjectTemplates'
  | 'createProjectTemplate'
  | 'getProjectTemplate'
  | 'deleteProjectTemplate';

export function templateHandlers(templates: TemplateService): Pick<Handlers, TemplateOps> {
  return {
    listProjectTemplates: async (input) => ({
      status: 200,
      body: await templates.list(requireOrg(input.org), input.query),
    }),
    createProjectTemplate: async (input) => ({
      status: 201,
      body: await templates.create(
        requireOrg(input.org),
        requirePrincipal(input.principal),
        input.body,
        change(input),
      ),
    }),
    getProjectTemplate: async (input) => ({
      status: 200,
      body: await templates.get(requireOrg(input.org), input.params.template),
    }),
    deleteProjectTemplate: async (input) => {
      await templates.delete(requireOrg(input.org), input.params.template, change(input));
      return { status: 204 };
    },
  };
}
