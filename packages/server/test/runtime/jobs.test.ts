import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Database } from '../../src/db/types.js';
import { enqueueJob } from '../../src/modules/jobs/queue.js';
import { defineJob, type JobRun } from '../../src/modules/jobs/registry.js';
import { backoffSeconds, JobWorker } from '../../src/modules/jobs/worker.js';
import { openTestDatabase } from '../../src/testing/databases.js';

declare module '../../src/modules/jobs/registry.js' {
  interface JobPayloads {
    'test.flaky': { failTimes: number; tag: string };
    'test.record': { tag: string; n: number };
  }
}

const logger = pino({ level: 'silent' });
const clock = { at: Date.parse('2026-03-01T12:00:00Z'), now: () => new Date(clock.at) };

let db: Database;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await openTestDatabase(inject('pmTestDatabase')));
});
afterAll(() => drop());

const runs: { tag: string; worker: string; attempt: number }[] = [];
const flaky = defineJob('test.flaky', async ({ failTimes, tag }, job: JobRun) => {
  runs.push({ tag, worker: '', attempt: job.attempt });
  if (job.attempt <= failTimes) throw new Error(`failure ${job.attempt}`);
});
function recorder(worker: string, delayMs = 0) {
  return defineJob('test.record', async ({ tag }, job) => {
    runs.push({ tag, worker, attempt: job.attempt });
    if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
  });
}

async function jobOf(id: number) {
  const { rows } = await db.query<{
    state: string;
    attempts: number;
    run_at: Date | null;
    last_error: string | null;
  }>('SELECT state, attempts, run_at, last_error FROM jobs WHERE id = $1', [id]);
  return rows[0]!;
}

describe('the job queue', () => {
  it('backs off exponentially with jitter, each delay between half and all of base × 2^n', () => {
    expect(backoffSeconds(10, 1, () => 0)).toBe(5);
    expect(backoffSeconds(10, 1, () => 1)).toBe(10);
    expect(backoffSeconds(10, 3, () => 0)).toBe(20);
    expect(backoffSeconds(10, 3, () => 1)).toBe(40);
    expect(backoffSeconds(10, 40, () => 1)).toBe(6 * 3600);
  });

  it('retries a failing job at the backoff time, then marks it dead after max attempts', async () => {
    const worker = new JobWorker(db, [flaky], { clock, logger });
    const id = (await enqueueJob(
      db,
      'test.flaky',
      { failTimes: 99, tag: 'dies' },
      { maxAttempts: 3, backoffSeconds: 60 },
    ))!;
    expect(await worker.runDue()).toBe(1);
    let job = await jobOf(id);
    expect(job).toMatchObject({ state: 'pending', attempts: 1, last_error: 'failure 1' });
    const firstDelay = job.run_at!.getTime() - clock.at;
    expect(firstDelay).toBeGreaterThanOrEqual(30_000);
    expect(firstDelay).toBeLessThanOrEqual(60_000);

    // Not due yet: nothing runs until the clock reaches run_at.
    clock.at += firstDelay - 1000;
    expect(await worker.runDue()).toBe(0);
    clock.at += 1000;
    expect(await worker.runDue()).toBe(1);
    job = await jobOf(id);
    expect(job).toMatchObject({ state: 'pending', attempts: 2 });
    const secondDelay = job.run_at!.getTime() - clock.at;
    expect(secondDelay).toBeGreaterThanOrEqual(60_000);
    expect(secondDelay).toBeLessThanOrEqual(120_000);

    clock.at += secondDelay;
    expect(await worker.runDue()).toBe(1);
    expect(await jobOf(id)).toMatchObject({ state: 'dead', attempts: 3, last_error: 'failure 3' });
    clock.at += 24 * 3600_000;
    expect(await worker.runDue()).toBe(0);
    expect(runs.filter((r) => r.tag === 'dies').map((r) => r.attempt)).toEqual([1, 2, 3]);
  });

  it('a job that fails once succeeds on its retry', async () => {
    const worker = new JobWorker(db, [flaky], { clock, logger });
    const id = (await enqueueJob(db, 'test.flaky', { failTimes: 1, tag: 'recovers' }))!;
    await worker.runDue();
    clock.at += 60_000;
    await worker.runDue();
    expect(await jobOf(id)).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('a job whose worker was killed mid-way runs again once its lease ends, exactly once', async () => {
    const killed = new JobWorker(db, [recorder('killed')], { clock, logger, leaseMs: 30_000 });
    const id = (await enqueueJob(db, 'test.record', { tag: 'killed', n: 0 }))!;
    // The worker claims the job and dies before finishing: nothing ever completes it.
    expect((await killed.claim()).map((job) => job.id)).toEqual([id]);

    const survivor = new JobWorker(db, [recorder('survivor')], { clock, logger });
    expect(await survivor.runDue()).toBe(0);
    clock.at += 29_000;
    expect(await survivor.runDue()).toBe(0);
    clock.at += 1_000;
    expect(await survivor.runDue()).toBe(1);
    clock.at += 3600_000;
    expect(await survivor.runDue()).toBe(0);
    expect(runs.filter((r) => r.tag === 'killed')).toEqual([
      { tag: 'killed', worker: 'survivor', attempt: 2 },
    ]);
    expect(await jobOf(id)).toMatchObject({ state: 'done', attempts: 2 });
  });

  it('two workers never run the same job', async () => {
    const ids: number[] = [];
    for (let n = 0; n < 60; n++)
      ids.push((await enqueueJob(db, 'test.record', { tag: 'shared', n }))!);
    // Small batches, so the workers claim often and at the same moments.
    const options = { clock, logger, batch: 2 };
    const workers = ['one', 'two', 'three'].map(
      (name) => new JobWorker(db, [recorder(name, 1)], options),
    );
    await Promise.all(workers.map((worker) => worker.runDue()));
    const shared = runs.filter((r) => r.tag === 'shared');
    expect(shared).toHaveLength(60);
    const { rows } = await db.query<{ state: string; attempts: number }>(
      'SELECT DISTINCT state, attempts FROM jobs WHERE id = ANY($1::bigint[])',
      [ids],
    );
    expect(rows).toEqual([{ state: 'done', attempts: 1 }]);
    if (db.kind === 'postgresql') {
      // On PostgreSQL both really ran side by side (PGlite is one connection: it serialises them).
      expect(new Set(shared.map((r) => r.worker)).size).toBeGreaterThan(1);
    }
  });

  it('a singleton is enqueued once while pending', async () => {
    const first = await enqueueJob(
      db,
      'test.record',
      { tag: 'single', n: 1 },
      { singletonKey: 'k' },
    );
    const second = await enqueueJob(
      db,
      'test.record',
      { tag: 'single', n: 2 },
      { singletonKey: 'k' },
    );
    expect(first).toBeTypeOf('number');
    expect(second).toBeUndefined();
  });

  it('a job enqueued in a transaction that rolls back never exists', async () => {
    const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM jobs');
    await db
      .transaction(async (tx) => {
        await enqueueJob(tx, 'test.record', { tag: 'rolled-back', n: 0 });
        throw new Error('roll back');
      })
      .catch(() => {});
    const after = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM jobs');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });
});
