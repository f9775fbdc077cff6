import type { Queryable } from '../../db/types.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Queues a mail in the transaction that caused it: it is sent if and only if that change commits.
 * The mail worker delivers it.
 */
export async function enqueueMail(db: Queryable, mail: Mail): Promise<void> {
  await db.query('INSERT INTO mail_outbox (recipient, subject, body) VALUES ($1, $2, $3)', [
    mail.to,
    mail.subject,
    mail.text,
  ]);
}
