import type { Queryable } from '../../db/types.js';
import type { JobKind, JobPayloads } from './registry.js';

/** Workers LISTEN here; every enqueue notifies it when its transaction commits. */
export const JOBS_CHANNEL = 'pmkit_jobs';

export interface EnqueueOptions {
  /** Not before this time (the injected clock's); unset: as soon as a worker is free. */
  runAt?: Date;
  /** Runs before the job is dead (default 8). */
  maxAttempts?: number;
  /** The first retry's delay; each next one doubles, with jitter (default 15 s). */
  backoffSeconds?: number;
  /** At most one pending job of this kind with this key; a second enqueue is a no-op. */
  singletonKey?: string;
}

/**
 * Queues a job in the caller's transaction: it exists if and only if that transaction commits.
 * Nudge the worker after the commit; other instances hear of it by NOTIFY. Returns the job's
 * id, or undefined when a singleton of its kind and key is already pending.
 */
export async function enqueueJob<K extends JobKind>(
  db: Queryable,
  kind: K,
  payload: JobPayloads[K],
  options: EnqueueOptions = {},
): Promise<number | undefined> {
  const { rows } = await db.query<{ id: number }>(
    `WITH job AS (
       INSERT INTO jobs (kind, payload, run_at, max_attempts, backoff_seconds, singleton_key)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (kind, singleton_key) WHERE state = 'pending' AND singleton_key IS NOT NULL
       DO NOTHING
       RETURNING id, kind
     )
     SELECT id, pg_notify('${JOBS_CHANNEL}', kind) FROM job`,
    [
      kind,
      JSON.stringify(payload),
      options.runAt ?? null,
      options.maxAttempts ?? 8,
      options.backoffSeconds ?? 15,
      options.singletonKey ?? null,
    ],
  );
  return rows[0]?.id;
}
