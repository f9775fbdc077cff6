import type { Logger } from 'pino';
import type { Database } from '../../db/types.js';
import type { MailTransport } from './transport.js';

interface OutboxRow {
  id: number;
  recipient: string;
  subject: string;
  body: string;
  attempts: number;
}

const BATCH = 20;
const MAX_ATTEMPTS = 8;

/**
 * Delivers queued mail. Rows are claimed with FOR UPDATE SKIP LOCKED, so any number of instances
 * share the work; failures are retried with exponential backoff, then marked failed.
 */
export class MailWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly transport: MailTransport,
    private readonly logger: Logger,
    private readonly intervalMs = 5000,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.nudge(), this.intervalMs);
    this.timer.unref();
    this.nudge();
  }

  /** Runs a delivery pass soon; called after a transaction queued mail. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error) => this.logger.warn({ err: error }, 'mail delivery pass failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    this.transport.close();
  }

  private async drain(): Promise<void> {
    for (;;) {
      const batch = await this.db.transaction(async (tx) => {
        const { rows } = await tx.query<OutboxRow>(
          `SELECT id, recipient, subject, body, attempts FROM mail_outbox
           WHERE status = 'pending' AND next_attempt_at <= now()
           ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [BATCH],
        );
        // Claim by pushing the next attempt out; a crash mid-send retries after that.
        if (rows.length) {
          await tx.query(
            `UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = now() + interval '5 minutes'
             WHERE id = ANY($1::bigint[])`,
            [rows.map((r) => r.id)],
          );
        }
        return rows;
      });
      if (batch.length === 0 || this.stopped) return;
      for (const row of batch) await this.deliver(row);
    }
  }

  private async deliver(row: OutboxRow): Promise<void> {
    try {
      const status = await this.transport.send({
        to: row.recipient,
        subject: row.subject,
        text: row.body,
      });
      await this.db.query(
        `UPDATE mail_outbox SET status = $2, sent_at = now(), last_error = NULL WHERE id = $1`,
        [row.id, status],
      );
    } catch (error) {
      const attempts = row.attempts + 1;
      const failed = attempts >= MAX_ATTEMPTS;
      this.logger.warn({ err: error, mailId: row.id, attempts }, 'mail delivery failed');
      await this.db.query(
        `UPDATE mail_outbox SET status = $2, last_error = $3,
           next_attempt_at = now() + make_interval(secs => $4) WHERE id = $1`,
        [
          row.id,
          failed ? 'failed' : 'pending',
          String((error as Error).message).slice(0, 500),
          2 ** attempts * 15,
        ],
      );
    }
  }
}
