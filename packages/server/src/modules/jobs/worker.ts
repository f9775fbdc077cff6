import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Database } from '../../db/types.js';
import type { Clock } from '../../lib/clock.js';
import type { Notifier } from '../mail/notifier.js';
import { JOBS_CHANNEL } from './queue.js';
import type { JobHandler, JobKind } from './registry.js';

interface ClaimedJob {
  id: number;
  kind: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
  backoff_seconds: number;
}

export interface WorkerOptions {
  clock: Clock;
  logger: Logger;
  /** How long a claimed job is ours; renewed while it runs. A dead worker's jobs wait this long. */
  leaseMs?: number;
  /** How often to look for due jobs when nobody nudged (retries, run_at in the future). */
  pollMs?: number;
  /** Jobs claimed per round trip. */
  batch?: number;
  /** Names this worker in `locked_by`. */
  id?: string;
}

const MAX_BACKOFF_SECONDS = 6 * 60 * 60;

/** The delay before attempt `attempts + 1`: doubling from `base`, with jitter (half to whole). */
export function backoffSeconds(base: number, attempts: number, random = Math.random): number {
  const full = Math.min(base * 2 ** Math.max(attempts - 1, 0), MAX_BACKOFF_SECONDS);
  return full / 2 + (full / 2) * random();
}

/**
 * Runs due jobs of the kinds it has handlers for. Jobs are claimed with FOR UPDATE SKIP LOCKED,
 * so any number of workers (instances) share the table and never run one job twice at once; a
 * claim is a lease that the worker renews while the job runs, so a job whose worker was killed
 * is claimed again once its lease ends. Woken by nudges (this instance enqueued), by NOTIFY
 * (another instance did), and by a poll for retries and scheduled jobs.
 */
export class JobWorker implements Notifier {
  readonly id: string;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly batch: number;
  private timer: NodeJS.Timeout | undefined;
  private stopListening: (() => Promise<void>) | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly db: Database,
    handlers: JobHandler<JobKind>[],
    private readonly options: WorkerOptions,
  ) {
    for (const handler of handlers) this.handlers.set(handler.kind, handler as JobHandler);
    this.id = options.id ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 5_000;
    this.batch = options.batch ?? 10;
  }

  async start(): Promise<void> {
    if (this.db.listen) {
      this.stopListening = await this.db.listen(JOBS_CHANNEL, {
        onMessage: () => this.nudge(),
        onGap: () => this.nudge(),
      });
    }
    this.timer = setInterval(() => this.nudge(), this.pollMs);
    this.timer.unref();
    this.nudge();
  }

  /** Runs a pass soon; called after a transaction enqueued work. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runDue()
      .then(() => undefined)
      .catch((error) => this.options.logger.warn({ err: error }, 'job pass failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Stops taking jobs and waits for the ones running; unfinished leases simply run out. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.stopListening?.();
    await this.running;
  }

  /** Claims and runs due jobs until none is left; returns how many ran. */
  async runDue(): Promise<number> {
    let ran = 0;
    for (;;) {
      const jobs = await this.claim();
      for (const job of jobs) await this.run(job);
      ran += jobs.length;
      if (jobs.length < this.batch || this.stopped) return ran;
    }
  }

  /** Takes up to `limit` due jobs (or ones whose lease ran out) under a lease of ours. */
  async claim(limit = this.batch): Promise<ClaimedJob[]> {
    const now = this.options.clock.now();
    const { rows } = await this.db.query<ClaimedJob>(
      `WITH due AS (
         SELECT id FROM jobs
         WHERE (state = 'pending' AND (run_at IS NULL OR run_at <= $2))
            OR (state = 'running' AND locked_until <= $2)
         ORDER BY run_at NULLS FIRST, id
         LIMIT $4
         FOR UPDATE SKIP LOCKED
       )
       UPDATE jobs j SET state = 'running', attempts = j.attempts + 1, locked_by = $1,
         locked_until = $3, updated_at = $2
       FROM due WHERE j.id = due.id
       RETURNING j.id, j.kind, j.payload, j.attempts, j.max_attempts, j.backoff_seconds`,
      [this.id, now, new Date(now.getTime() + this.leaseMs), limit],
    );
    return rows;
  }

  private async run(job: ClaimedJob): Promise<void> {
    const logger = this.options.logger.child({ jobId: job.id, kind: job.kind });
    const handler = this.handlers.get(job.kind);
    // Claimed again after its lease ran out on the last attempt: its worker died running it.
    if (job.attempts > job.max_attempts) {
      await this.finish(job, 'dead', 'its worker stopped during the last attempt');
      return;
    }
    if (!handler) {
      await this.fail(job, new Error(`no handler for job kind ${job.kind}`), logger);
      return;
    }
    const renew = setInterval(() => {
      const until = new Date(this.options.clock.now().getTime() + this.leaseMs);
      this.db
        .query('UPDATE jobs SET locked_until = $3 WHERE id = $1 AND locked_by = $2', [
          job.id,
          this.id,
          until,
        ])
        .catch((error) => logger.warn({ err: error }, 'job lease renewal failed'));
    }, this.leaseMs / 3);
    renew.unref();
    try {
      await handler.run(job.payload as never, {
        id: job.id,
        attempt: job.attempts,
        maxAttempts: job.max_attempts,
        lastAttempt: job.attempts >= job.max_attempts,
        now: this.options.clock.now(),
        db: this.db,
        logger,
      });
    } catch (error) {
      clearInterval(renew);
      await this.fail(job, error, logger);
      return;
    }
    clearInterval(renew);
    await this.finish(job, 'done', null);
  }

  private async fail(job: ClaimedJob, error: unknown, logger: Logger): Promise<void> {
    const message = String((error as Error)?.message ?? error).slice(0, 500);
    if (job.attempts >= job.max_attempts) {
      logger.error({ err: error, attempts: job.attempts }, 'job failed for the last time: dead');
      await this.finish(job, 'dead', message);
      return;
    }
    const delay = backoffSeconds(job.backoff_seconds, job.attempts);
    logger.warn({ err: error, attempts: job.attempts, retryInSeconds: delay }, 'job failed');
    const now = this.options.clock.now();
    await this.db.query(
      `UPDATE jobs SET state = 'pending', run_at = $3, last_error = $4, locked_by = NULL,
         locked_until = NULL, updated_at = $5
       WHERE id = $1 AND locked_by = $2`,
      [job.id, this.id, new Date(now.getTime() + delay * 1000), message, now],
    );
  }

  private async finish(job: ClaimedJob, state: 'done' | 'dead', error: string | null) {
    await this.db.query(
      `UPDATE jobs SET state = $3, last_error = $4, locked_by = NULL, locked_until = NULL,
         updated_at = $5
       WHERE id = $1 AND locked_by = $2`,
      [job.id, this.id, state, error, this.options.clock.now()],
    );
  }
}
