import type { Logger } from 'pino';
import type { Database } from '../db/types.js';

/**
 * Periodic housekeeping of durable tables. Every statement is idempotent and set-wise, so any
 * number of instances may run it at once.
 */
export function startMaintenance(
  db: Database,
  logger: Logger,
  options: { idempotencyTtlHours: number; intervalMs?: number },
) {
  const sweep = async () => {
    try {
      const result = await db.query(
        'DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)',
        [options.idempotencyTtlHours],
      );
      if (result.rowCount > 0)
        logger.debug({ removed: result.rowCount }, 'expired idempotency keys removed');
    } catch (error) {
      logger.warn({ err: error }, 'maintenance sweep failed');
    }
  };
  const timer = setInterval(sweep, options.intervalMs ?? 10 * 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
