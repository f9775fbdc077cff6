import type { Notification } from '@pmkit/sdk';
import { Command } from 'commander';
import { positive } from '../../args.js';
import type { Factory } from '../../factory.js';
import { type Column, createOutput } from '../../output/index.js';
import { notice } from '../../output/status.js';

const columns: Column<Notification>[] = [
  { header: 'Id', value: (n) => n.id },
  { header: 'When', value: (n) => n.createdAt, time: true },
  { header: 'Title', value: (n) => n.title },
  { header: 'Lead', value: (n) => n.leadId },
  { header: 'Read', value: (n) => n.readAt, time: true },
];

export function newCmdNotifications(f: Factory): Command {
  const list = new Command('list')
    .alias('ls')
    .description('Your notifications, newest first')
    .option('--unread', 'only those not marked read')
    .option('--limit <n>', 'show at most n', positive)
    .action(async (options: { unread?: boolean; limit?: number }) => {
      const items = await f
        .client()
        .notifications.list(
          options.unread ? { unread: true } : {},
          options.limit ? { maxItems: options.limit } : {},
        )
        .toArray();
      createOutput(f.io, f.globals).list(items, columns);
    });
  const read = new Command('read')
    .description('Mark a notification read')
    .argument('<id>', 'the notification id')
    .action(async (id: string) => {
      await f.client().notifications.markRead(id);
      notice(f, `Marked ${id} read`);
    });
  return new Command('notifications')
    .description('Your in-app notifications (lead follow-ups that fell due): list, read')
    .addCommand(list, { isDefault: true })
    .addCommand(read);
}
