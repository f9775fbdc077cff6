import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Database } from '../../src/db/types.js';
import { JobWorker } from '../../src/modules/jobs/worker.js';
import { mailDelivery } from '../../src/modules/mail/delivery.js';
import { enqueueMail } from '../../src/modules/mail/outbox.js';
import type { MailTransport } from '../../src/modules/mail/transport.js';
import { openTestDatabase } from '../../src/testing/databases.js';

/**
 * The mail worker on the job queue: a failing SMTP server is retried with growing delays, each
 * attempt and error recorded on the mail; after the last attempt the mail is marked failed and
 * never sent again. The worker is driven by hand on an injected clock: no waiting.
 */
const logger = pino({ level: 'silent' });
const clock = { at: Date.parse('2026-05-01T08:00:00Z'), now: () => new Date(clock.at) };

let db: Database;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await openTestDatabase(inject('pmTestDatabase')));
});
afterAll(() => drop());

function flakyTransport(failures: number) {
  const sent: string[] = [];
  let calls = 0;
  const transport: MailTransport = {
    async send(mail) {
      calls++;
      if (calls <= failures) throw new Error(`421 try again later (${calls})`);
      sent.push(mail.to);
      return 'sent';
    },
    close() {},
  };
  return { transport, sent, calls: () => calls };
}

async function mailTo(to: string) {
  const { rows } = await db.query<{ status: string; attempts: number; last_error: string | null }>(
    'SELECT status, attempts, last_error FROM mail_outbox WHERE recipient = $1',
    [to],
  );
  return rows[0]!;
}

async function nextRunAt(to: string): Promise<number> {
  const { rows } = await db.query<{ run_at: Date | null }>(
    `SELECT j.run_at FROM jobs j JOIN mail_outbox m ON (j.payload->>'mailId')::int = m.id
     WHERE m.recipient = $1`,
    [to],
  );
  // No run_at: due now.
  return rows[0]!.run_at?.getTime() ?? clock.at;
}

describe('mail delivery retries', () => {
  it('retries a failing SMTP server with growing delays, then sends once', async () => {
    const smtp = flakyTransport(2);
    const worker = new JobWorker(db, [mailDelivery(smtp.transport)], { clock, logger });
    await enqueueMail(db, { to: 'retry@example.com', subject: 'Hi', text: 'Hello' });
    expect(await worker.runDue()).toBe(1);
    expect(await mailTo('retry@example.com')).toEqual({
      status: 'pending',
      attempts: 1,
      last_error: '421 try again later (1)',
    });
    const first = (await nextRunAt('retry@example.com')) - clock.at;
    expect(first).toBeGreaterThan(0);
    expect(await worker.runDue(), 'not before its backoff').toBe(0);
    clock.at += first;
    expect(await worker.runDue()).toBe(1);
    const second = (await nextRunAt('retry@example.com')) - clock.at;
    // Jittered exponential backoff: the second wait is at least the first's lower bound doubled.
    expect(second).toBeGreaterThanOrEqual(first);
    clock.at += second;
    expect(await worker.runDue()).toBe(1);
    expect(await mailTo('retry@example.com')).toEqual({
      status: 'sent',
      attempts: 3,
      last_error: null,
    });
    clock.at += 24 * 3600_000;
    expect(await worker.runDue()).toBe(0);
    expect(smtp.sent).toEqual(['retry@example.com']);
  });

  it('gives up after the last attempt: the mail is marked failed and never sent', async () => {
    const smtp = flakyTransport(1000);
    const worker = new JobWorker(db, [mailDelivery(smtp.transport)], { clock, logger });
    await enqueueMail(db, { to: 'never@example.com', subject: 'Hi', text: 'Hello' });
    for (let i = 0; i < 8; i++) {
      clock.at = Math.max(clock.at, await nextRunAt('never@example.com'));
      expect(await worker.runDue(), `attempt ${i + 1}`).toBe(1);
    }
    expect(await mailTo('never@example.com')).toEqual({
      status: 'failed',
      attempts: 8,
      last_error: '421 try again later (8)',
    });
    clock.at += 30 * 24 * 3600_000;
    expect(await worker.runDue()).toBe(0);
    expect(smtp.calls()).toBe(8);
    expect(smtp.sent).toEqual([]);
  });
});
