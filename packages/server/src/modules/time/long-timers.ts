import type { Queryable } from '../../db/types.js';
import { recordEvent } from '../../lib/events.js';
import { enqueueJob } from '../jobs/queue.js';
import { defineJob } from '../jobs/registry.js';
import { enqueueMail } from '../mail/outbox.js';
import { claimLongTimers } from './store.js';

declare module '../jobs/registry.js' {
  interface JobPayloads {
    'time.long_timers': Record<string, never>;
  }
}

const BATCH = 500;

/**
 * Timers that have run past their organization's limit (by the injected clock): each owner gets
 * one e-mail, in the transaction that marks the timer told. A sweep job that schedules its next
 * run, like the lead follow-ups.
 */
export function longTimerWarnings(options: { intervalMs?: number } = {}) {
  const interval = options.intervalMs ?? 60_000;
  return defineJob('time.long_timers', async (_payload, job) => {
    const told = await job.db.transaction(async (tx) => {
      const timers = await claimLongTimers(tx, job.now, BATCH);
      for (const timer of timers) {
        const hours = Math.round((timer.minutes / 60) * 10) / 10;
        await enqueueMail(tx, {
          to: timer.email,
          subject: `Your timer has been running for over ${hours} hours`,
          text: `Your timer has been running since ${timer.started_at.toISOString()}, longer than ${hours} hours.\n\nIf you forgot it, stop it at the time you finished:\n\n  pm timer stop --at 17:30\n`,
        });
        await recordEvent(tx, {
          orgId: timer.org_id,
          actor: { kind: 'system', id: null },
          entity: 'timer',
          entityId: timer.id,
          action: 'long_running_notified',
        });
      }
      return timers.length;
    });
    await scheduleLongTimerWarnings(
      job.db,
      told === BATCH ? job.now : new Date(job.now.getTime() + interval),
    );
  });
}

/** Makes sure a long-timer sweep is pending (at start); a no-op when one already is. */
export async function scheduleLongTimerWarnings(db: Queryable, runAt: Date): Promise<void> {
  await enqueueJob(
    db,
    'time.long_timers',
    {},
    { runAt, singletonKey: 'long-timers', maxAttempts: 5 },
  );
}
