import type { AuditEvent } from '@pmkit/sdk';
import { Command } from 'commander';
import { positive, TIME_HELP, timeArg } from '../../args.js';
import type { Factory } from '../../factory.js';
import { currentOrg } from '../../org-scope.js';
import { type Column, createOutput } from '../../output/index.js';
import { withSpinner } from '../../output/status.js';
import { memberId } from '../org/member-ref.js';

interface AuditOptions {
  action?: string;
  actor?: string;
  since?: string;
  until?: string;
  limit?: number;
}

const columns: Column<AuditEvent>[] = [
  { header: 'Time', value: (e) => e.createdAt, time: true },
  { header: 'Action', value: (e) => e.action },
  { header: 'Actor', value: actorLabel },
  { header: 'Entity', value: (e) => e.entityId },
  { header: 'IP', value: (e) => e.ip },
  { header: 'Id', value: (e) => e.id },
];

/** A person by e-mail, an API key by its name; ids only when nothing else is known. */
function actorLabel({ actor }: AuditEvent): string {
  if (actor.kind === 'user') return actor.email ?? actor.name ?? `user:${actor.id}`;
  if (actor.kind === 'api_key') return actor.name ? `key ${actor.name}` : `key:${actor.id}`;
  return actor.kind;
}

export function newCmdAudit(f: Factory): Command {
  return new Command('audit')
    .description('Security events of the current organization, newest first (Admin)')
    .option('--action <action>', 'only this action, such as member.removed or api_key.created')
    .option('--actor <actor>', "only events by this user (id or member's e-mail) or API key id")
    .option('--since <when>', `at or after: ${TIME_HELP}, counted back`, timeArg(f.clock, true))
    .option('--until <when>', 'before (same forms as --since)', timeArg(f.clock, true))
    .option('--limit <n>', 'show at most n events (default 50)', positive)
    .addHelpText(
      'after',
      `
Examples:
  $ pm audit --since 7d
  $ pm audit --action member.removed --actor grace@example.com
  $ pm audit --since 2025-07-01 --until 2025-08-01 --limit 1000 --format csv > july.csv`,
    )
    .action(async (options: AuditOptions) => {
      const org = currentOrg(f);
      const pm = f.client();
      const limit = options.limit ?? 50;
      const events = await withSpinner(f, 'Loading events…', async () => {
        const actor = options.actor ? await memberId(pm, org, options.actor) : undefined;
        const query = {
          limit: Math.min(limit, 200),
          ...(options.action ? { action: options.action } : {}),
          ...(actor ? { actor } : {}),
          ...(options.since ? { since: options.since } : {}),
          ...(options.until ? { until: options.until } : {}),
        };
        return pm.audit.list(org, query, { maxItems: limit }).toArray();
      });
      createOutput(f.io, f.globals).list(events, columns);
    });
}
