import type { Logger } from 'pino';
import type { Database } from '../../db/types.js';

/**
 * Each kind of job and its payload. A kind adds itself from its own file:
 * `declare module '../jobs/registry.js' { interface JobPayloads { 'mail.deliver': {…} } }`,
 * next to its handler (`defineJob`), which the server lists when it starts its worker.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging, one kind per file
export interface JobPayloads {}

export type JobKind = keyof JobPayloads;

/** What a handler knows of the run it is in. */
export interface JobRun {
  id: number;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
  /** A failure now makes the job dead. */
  lastAttempt: boolean;
  /** The injected clock's time when the job was claimed. */
  now: Date;
  db: Database;
  logger: Logger;
}

export interface JobHandler<K extends JobKind = JobKind> {
  kind: K;
  /** Throws to fail this attempt; the job is retried with backoff, then dead. */
  run(payload: JobPayloads[K], job: JobRun): Promise<void>;
}

export function defineJob<K extends JobKind>(
  kind: K,
  run: (payload: JobPayloads[K], job: JobRun) => Promise<void>,
): JobHandler<K> {
  return { kind, run };
}
