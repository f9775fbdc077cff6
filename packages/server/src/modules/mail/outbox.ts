import type { Queryable } from '../../db/types.js';
import { enqueueJob } from '../jobs/queue.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Queues a mail in the transaction that caused it: it is sent if and only if that change commits.
 * The message stays in `mail_outbox` as its record; a `mail.deliver` job delivers it.
 */
export async function enqueueMail(db: Queryable, mail: Mail): Promise<void> {
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO mail_outbox (recipient, subject, body) VALUES ($1, $2, $3) RETURNING id',
    [mail.to, mail.subject, mail.text],
  );
  await enqueueJob(db, 'mail.deliver', { mailId: rows[0]!.id }, { maxAttempts: 8 });
}
