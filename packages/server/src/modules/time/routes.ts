import type { Handlers } from '../../http/handler-types.js';

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

// Placeholder on the working branch only: replaced before it lands.
export function timeHandlers(): Pick<Handlers, TimeOps> {
  const missing = async () => {
    throw new Error('not built yet');
  };
  return Object.fromEntries(
    (
      [
        'getTimer',
        'startTimer',
        'stopTimer',
        'pauseTimer',
        'resumeTimer',
        'cancelTimer',
        'listTimeEntries',
        'createTimeEntry',
        'getTimeEntry',
        'updateTimeEntry',
        'deleteTimeEntry',
        'listTimeLocks',
        'createTimeLock',
        'deleteTimeLock',
        'getTimeSettings',
        'updateTimeSettings',
        'listProjectRates',
        'setProjectRate',
      ] as const
    ).map((op) => [op, missing]),
  ) as unknown as Pick<Handlers, TimeOps>;
}
