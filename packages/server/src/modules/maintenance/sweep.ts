import type { Queryable } from '../../db/types.js';
import { enqueueJob } from '../jobs/queue.js';
import { defineJob } from '../jobs/registry.js';

declare module '../jobs/registry.js' {
  interface JobPayloads {
    'maintenance.sweep': Record<string, never>;
  }
}

const DONE_JOBS_KEPT_MS = 24 * 60 * 60 * 1000;

/**
 * Periodic housekeeping of durable tables, as a job that schedules its next run: one pending
 * sweep at a time (a singleton), whichever instance is free runs it.
 */
export function maintenanceSweep(options: { idempotencyTtlHours: number; intervalMs?: number }) {
  const interval = options.intervalMs ?? 10 * 60_000;
  return defineJob('maintenance.sweep', async (_payload, job) => {
    const now = job.now.getTime();
    const keys = await job.db.query('DELETE FROM idempotency_keys WHERE created_at < $1', [
      new Date(now - options.idempotencyTtlHours * 3_600_000),
    ]);
    const jobs = await job.db.query(`DELETE FROM jobs WHERE state = 'done' AND updated_at < $1`, [
      new Date(now - DONE_JOBS_KEPT_MS),
    ]);
    if (keys.rowCount + jobs.rowCount > 0)
      job.logger.debug(
        { idempotencyKeys: keys.rowCount, jobs: jobs.rowCount },
        'maintenance removed expired rows',
      );
    await scheduleMaintenance(job.db, new Date(now + interval));
  });
}

/** Makes sure a sweep is pending (the first one, at start); a no-op when one already is. */
export async function scheduleMaintenance(db: Queryable, runAt: Date): Promise<void> {
  await enqueueJob(db, 'maintenance.sweep', {}, { runAt, singletonKey: 'sweep', maxAttempts: 3 });
}
