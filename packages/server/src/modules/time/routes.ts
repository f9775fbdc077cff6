import type { Handlers } from '../../http/handler-types.js';
import { requireOrg } from '../access/authorize.js';
import { requirePrincipal } from '../auth/authenticate.js';
import { change, withEtag } from '../projects/routes.js';
import type { TimeEntryService } from './entries.js';
import type { TimeSettingsService } from './settings.js';
import type { TimerService } from './timer.js';

type TimeOps =
  | 'getTimer'
  | 'startTimer'
  | 'stopTimer'
  | 'pauseTimer'
  | 'resumeTimer'
  | 'cancelTimer'
  | 'listTimeEntries'
  | 'createTimeEntry'
  | 'getTimeEntry'
  | 'updateTimeEntry'
  | 'deleteTimeEntry'
  | 'listTimeLocks'
  | 'createTimeLock'
  | 'deleteTimeLock'
  | 'getTimeSettings'
  | 'updateTimeSettings'
  | 'listProjectRates'
  | 'setProjectRate';

const located = (
  name: 'entry' | 'project',
  input: { located: Readonly<Record<string, string>> },
) => {
  const id = input.located[name];
  if (!id) throw new Error(`authorize stage did not locate the ${name}`);
  return id;
};

export function timeHandlers(deps: {
  timer: TimerService;
  entries: TimeEntryService;
  settings: TimeSettingsService;
}): Pick<Handlers, TimeOps> {
  const { timer, entries, settings } = deps;
  return {
    getTimer: async (input) => ({
      status: 200,
      body: await timer.get(requireOrg(input.org), requirePrincipal(input.principal)),
    }),
    startTimer: async (input) => ({
      status: 201,
      body: await timer.start(
        requireOrg(input.org),
        requirePrincipal(input.principal),
        input.body,
        change(input),
      ),
    }),
    stopTimer: async (input) => ({
      status: 200,
      body: await timer.stop(
        requireOrg(input.org),
        requirePrincipal(input.principal),
        input.body,
        change(input),
      ),
    }),
    pauseTimer: async (input) => ({
      status: 200,
      body: await timer.pause(
        requireOrg(input.org),
        requirePrincipal(input.principal),
        change(input),
      ),
    }),
    resumeTimer: async (input) => ({
      status: 200,
      body: await timer.resume(
        requireOrg(input.org),
        requirePrincipal(input.principal),
        change(input),
      ),
    }),
    cancelTimer: async (input) => {
      await timer.cancel(requireOrg(input.org), requirePrincipal(input.principal), change(input));
      return { status: 204 };
    },
    listTimeEntries: async (input) => ({
      status: 200,
      body: await entries.list(
        requireOrg(input.org),
        requirePrincipal(input.principal),
        input.query,
      ),
    }),
    createTimeEntry: async (input) =>
      withEtag(
        201,
        await entries.create(
          requireOrg(input.org),
          requirePrincipal(input.principal),
          input.body,
          change(input),
        ),
      ),
    getTimeEntry: async (input) =>
      withEtag(
        200,
        await entries.get(
          requireOrg(input.org),
          requirePrincipal(input.principal),
          located('entry', input),
        ),
      ),
    updateTimeEntry: async (input) =>
      withEtag(
        200,
        await entries.update(
          requireOrg(input.org),
          requirePrincipal(input.principal),
          located('entry', input),
          input.body,
          input.ctx.get('If-Match'),
          change(input),
        ),
      ),
    deleteTimeEntry: async (input) => {
      await entries.delete(
        requireOrg(input.org),
        requirePrincipal(input.principal),
        located('entry', input),
        change(input),
      );
      return { status: 204 };
    },
    listTimeLocks: async (input) => ({
      status: 200,
      body: await settings.listLocks(requireOrg(input.org), input.query),
    }),
    createTimeLock: async (input) => ({
      status: 201,
      body: await settings.createLock(
        requireOrg(input.org),
        requirePrincipal(input.principal),
        input.body,
        change(input),
      ),
    }),
    deleteTimeLock: async (input) => {
      await settings.deleteLock(requireOrg(input.org), input.params.lock, change(input));
      return { status: 204 };
    },
    getTimeSettings: async (input) => ({
      status: 200,
      body: await settings.get(requireOrg(input.org)),
    }),
    updateTimeSettings: async (input) => ({
      status: 200,
      body: await settings.update(requireOrg(input.org), input.body, change(input)),
    }),
    listProjectRates: async (input) => ({
      status: 200,
      body: await settings.listRates(requireOrg(input.org), located('project', input)),
    }),
    setProjectRate: async (input) => ({
      status: 200,
      body: await settings.setRate(
        requireOrg(input.org),
        located('project', input),
        input.body,
        change(input),
      ),
    }),
  };
}
