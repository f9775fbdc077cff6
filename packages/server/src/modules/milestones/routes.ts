import type { Handlers } from '../../http/handler-types.js';
import { requireOrg } from '../access/authorize.js';
import { change } from '../projects/routes.js';
import type { MilestoneService } from './service.js';

type MilestoneOps =
  | 'listMilestones'
  | 'createMilestone'
  | 'getMilestone'
  | 'updateMilestone'
  | 'deleteMilestone';

const located = (input: { located: Readonly<Record<string, string>> }) => {
  const id = input.located.project;
  if (!id) throw new Error('authorize stage did not locate the project');
  return id;
};

export function milestoneHandlers(milestones: MilestoneService): Pick<Handlers, MilestoneOps> {
  return {
    listMilestones: async (input) => ({
      status: 200,
      body: await milestones.list(requireOrg(input.org), located(input), input.query),
    }),
    createMilestone: async (input) => ({
      status: 201,
      body: await milestones.create(
        requireOrg(input.org),
        located(input),
        input.body,
        change(input),
      ),
    }),
    getMilestone: async (input) => ({
      status: 200,
      body: await milestones.get(requireOrg(input.org), located(input), input.params.milestone),
    }),
    updateMilestone: async (input) => ({
      status: 200,
      body: await milestones.update(
        requireOrg(input.org),
        located(input),
        input.params.milestone,
        input.body,
        change(input),
      ),
    }),
    deleteMilestone: async (input) => {
      await milestones.delete(
        requireOrg(input.org),
        located(input),
        input.params.milestone,
        change(input),
      );
      return { status: 204 };
    },
  };
}
