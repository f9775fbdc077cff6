import { defineJob } from '../jobs/registry.js';
import type { MailTransport } from './transport.js';

declare module '../jobs/registry.js' {
  interface JobPayloads {
    'mail.deliver': { mailId: number };
  }
}

/** Delivers one queued mail; a failure is retried by the queue, then the mail is marked failed. */
export function mailDelivery(transport: MailTransport) {
  return defineJob('mail.deliver', async ({ mailId }, job) => {
    const { rows } = await job.db.query<{
      recipient: string;
      subject: string;
      body: string;
      status: string;
    }>('SELECT recipient, subject, body, status FROM mail_outbox WHERE id = $1', [mailId]);
    const mail = rows[0];
    // Sent already: this is a rerun after the worker died between sending and recording it.
    if (mail?.status !== 'pending') return;
    try {
      const status = await transport.send({
        to: mail.recipient,
        subject: mail.subject,
        text: mail.body,
      });
      await job.db.query(
        `UPDATE mail_outbox SET status = $2, sent_at = $3, attempts = $4, last_error = NULL
         WHERE id = $1`,
        [mailId, status, job.now, job.attempt],
      );
    } catch (error) {
      await job.db.query(
        `UPDATE mail_outbox SET attempts = $2, last_error = $3,
           status = CASE WHEN $4::boolean THEN 'failed' ELSE status END
         WHERE id = $1`,
        [mailId, job.attempt, String((error as Error).message).slice(0, 500), job.lastAttempt],
      );
      throw error;
    }
  });
}
