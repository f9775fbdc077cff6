import type { Handlers } from '../../http/handler-types.js';
import { requireOrg } from '../access/authorize.js';
import { change } from '../projects/routes.js';
import type { FieldService } from './service.js';

type FieldOps = 'listFields' | 'createField' | 'updateField' | 'deleteField';

const located = (input: { located: Readonly<Record<string, string>> }) => {
  const id = input.located.project;
  if (!id) throw new Error('authorize stage did not locate the project');
  return id;
};

export function fieldHandlers(fields: FieldService): Pick<Handlers, FieldOps> {
  return {
    listFields: async (input) => ({
      status: 200,
      body: await fields.list(requireOrg(input.org), located(input)),
    }),
    createField: async (input) => ({
      status: 201,
      body: await fields.create(requireOrg(input.org), located(input), input.body, change(input)),
    }),
    updateField: async (input) => ({
      status: 200,
      body: await fields.update(
        requireOrg(input.org),
        located(input),
        input.params.field,
        input.body,
        change(input),
      ),
    }),
    deleteField: async (input) => {
      await fields.delete(requireOrg(input.org), located(input), input.params.field, change(input));
      return { status: 204 };
    },
  };
}
