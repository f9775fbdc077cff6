import type { BulkLeadChange, PmClient } from '@pmkit/sdk';
import { Command } from 'commander';
import { collect } from '../../args.js';
import { ExitCode, SilentError, UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { readAll } from '../../io.js';
import { userIds } from '../../member-refs.js';
import { createOutput } from '../../output/index.js';
import { notice } from '../../output/status.js';

const LEAD_ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const ONLY_LEAD_ID = new RegExp(`^${LEAD_ID.source}$`, 'i');
const MAX = 500;

/**
 * The lead ids in piped text: the `id`s of `pm lead list --json`, else the first id of each line
 * (`jq -r '.[].id'`, `--format tsv`, a table), so owners' ids on the same lines are not taken.
 */
function idsIn(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) {
      return parsed
        .map((item: unknown) => (item as { id?: unknown } | null)?.id)
        .filter((id): id is string => typeof id === 'string');
    }
  } catch {
    // Not JSON: lines of text.
  }
  return text
    .split('\n')
    .map((line) => LEAD_ID.exec(line)?.[0])
    .filter((id): id is string => id !== undefined);
}

interface BulkOptions {
  status?: string;
  owner?: string;
  tag?: string[];
  untag?: string[];
  delete?: boolean;
}

async function changeOf(f: Factory, pm: PmClient, o: BulkOptions): Promise<BulkLeadChange> {
  const changes: BulkLeadChange[] = [];
  if (o.status !== undefined) changes.push({ status: o.status });
  if (o.owner !== undefined) {
    changes.push({ ownerId: o.owner === 'none' ? null : (await userIds(f, pm, [o.owner]))[0]! });
  }
  if (o.tag || o.untag) {
    changes.push({
      tags: { ...(o.tag ? { add: o.tag } : {}), ...(o.untag ? { remove: o.untag } : {}) },
    });
  }
  if (o.delete) changes.push({ delete: true });
  if (changes.length !== 1) {
    throw new UsageError('pass exactly one change: --status, --owner, --tag/--untag or --delete');
  }
  return changes[0]!;
}

export function newCmdLeadBulk(f: Factory): Command {
  return new Command('bulk')
    .description('Apply one change to many leads (up to 500) in one transaction')
    .argument(
      '<leads...>',
      'lead ids; - reads them from stdin (pm lead list --json, or one id per line)',
    )
    .option('--status <status>', 'move them to this status of the pipeline')
    .option('--owner <member>', 'hand them to this member: an e-mail, "me", or "none"')
    .option('--tag <tag>', 'add a tag; repeat for more', collect)
    .option('--untag <tag>', 'remove a tag; repeat for more', collect)
    .option('--delete', 'delete them')
    .addHelpText(
      'after',
      `
Members change only the leads they own: the others fail alone. Exits 1 when any lead could not
take the change (one line each on stderr); the others changed.

Examples:
  $ pm lead bulk 3d2f… 9a41… --status won
  $ pm lead list --tag fair-2026 --json | pm lead bulk - --owner ada@example.com
  $ pm lead list --filter stale --format tsv | pm lead bulk - --tag cold --untag hot`,
    )
    .action(async (refs: string[], o: BulkOptions) => {
      const pm = f.client();
      const change = await changeOf(f, pm, o);
      const named = refs.filter((r) => r !== '-');
      const notIds = named.filter((r) => !ONLY_LEAD_ID.test(r));
      if (notIds.length > 0) throw new UsageError(`not lead ids: ${notIds.join(', ')}`);
      if (refs.includes('-')) named.push(...idsIn(await readAll(f.io.stdin)));
      const leads = [...new Set(named.map((id) => id.toLowerCase()))];
      if (leads.length === 0) {
        notice(f, 'No leads named: nothing to do');
        return;
      }
      if (leads.length > MAX) {
        throw new UsageError(`${leads.length} leads: at most ${MAX} change in one go`);
      }
      const result = await pm.leads.bulk(leads, change);
      createOutput(f.io, f.globals).list(result.results, [
        { header: 'Lead', value: (r) => r.lead },
        { header: 'Result', value: (r) => (r.ok ? 'changed' : `failed (${r.error?.status})`) },
        { header: 'Detail', value: (r) => r.error?.detail ?? null },
      ]);
      for (const failed of result.results.filter((r) => !r.ok)) {
        f.io.stderr.write(`${failed.lead}: ${failed.error?.detail}\n`);
      }
      notice(f, `${result.applied} changed, ${result.failed} failed`);
      if (result.failed > 0) throw new SilentError(ExitCode.error);
    });
}
