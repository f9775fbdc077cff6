import type { Queryable } from '../../db/types.js';
import { recordEvent } from '../../lib/events.js';
import { enqueueJob } from '../jobs/queue.js';
import { defineJob } from '../jobs/registry.js';
import { enqueueMail } from '../mail/outbox.js';
import type { NotificationService } from '../notifications/service.js';
import * as store from './store.js';

declare module '../jobs/registry.js' {
  interface JobPayloads {
    'lead.follow_ups': Record<string, never>;
  }
}

const BATCH = 500;

/**
 * Lead follow-ups that fell due (by the injected clock): each once, an in-app notification for
 * its owner and, if the owner wants it, an e-mail, all in the transaction that marks it notified.
 * A sweep job that schedules its next run (one pending at a time, any instance runs it).
 */
export function leadFollowUps(options: {
  notifications: NotificationService;
  publicUrl?: string;
  intervalMs?: number;
}) {
  const interval = options.intervalMs ?? 60_000;
  return defineJob('lead.follow_ups', async (_payload, job) => {
    const due = await job.db.transaction(async (tx) => {
      const leads = await store.claimDueFollowUps(tx, job.now, BATCH);
      if (leads.length === 0) return 0;
      await options.notifications.notify(
        tx,
        leads.map((l) => ({
          userId: l.owner_id,
          orgId: l.org_id,
          kind: 'lead.follow_up' as const,
          leadId: l.id,
          title: `Follow up with ${l.name}`,
        })),
        job.now,
      );
      const mailboxes = new Map(
        (
          await options.notifications.followUpMailboxes(tx, [
            ...new Set(leads.map((l) => l.owner_id)),
          ])
        ).map((m) => [m.id, m.email]),
      );
      for (const lead of leads) {
        const to = mailboxes.get(lead.owner_id);
        if (!to) continue;
        await enqueueMail(tx, {
          to,
          subject: `Follow up with ${lead.name}`,
          text: `Your follow-up with ${lead.name} was due at ${lead.next_follow_up_at.toISOString()}.\n\npm lead show ${lead.id}\n`,
        });
      }
      for (const orgId of new Set(leads.map((l) => l.org_id))) {
        await recordEvent(tx, {
          orgId,
          actor: { kind: 'system', id: null },
          entity: 'lead',
          action: 'follow_up_notified',
          changes: { leads: leads.filter((l) => l.org_id === orgId).map((l) => l.id) },
        });
      }
      return leads.length;
    });
    // A full batch: more may be due now; otherwise look again after the interval.
    await scheduleFollowUps(
      job.db,
      due === BATCH ? job.now : new Date(job.now.getTime() + interval),
    );
  });
}

/** Makes sure a follow-up sweep is pending (at start); a no-op when one already is. */
export async function scheduleFollowUps(db: Queryable, runAt: Date): Promise<void> {
  await enqueueJob(
    db,
    'lead.follow_ups',
    {},
    { runAt, singletonKey: 'follow-ups', maxAttempts: 5 },
  );
}
