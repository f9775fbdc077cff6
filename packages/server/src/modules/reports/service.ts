import type { components } from '@pmkit/sdk/schema';
import type { OrgContext } from '../../context/org.js';
import type { Principal } from '../../context/principal.js';
import type { Database } from '../../db/types.js';
import { badRequest, forbidden } from '../../http/problem.js';
import { type ReportEntry, toReportEntry } from './entry.js';
import { GroupedTotals } from './grouping.js';
import { EntryNames } from './names.js';
import {
  invalidTimeZone,
  parseReportRequest,
  type ReportQuery,
  type ReportRequest,
} from './request.js';
import * as store from './store.js';

type TimeReport = components['schemas']['TimeReport'];

/** A checked report request, its filters resolved to ids and the caller's view applied. */
export interface PreparedReport {
  org: OrgContext;
  request: ReportRequest;
  filter: store.EntryFilter;
  /** The filters as people read them (project keys, names), for the PDF. */
  described: { projects: string[]; users: string[] };
}

const ENTRY_CHUNK = 2000;

/**
 * Time reports: who may see which entries, the entries read in keyset chunks, and their totals.
 * Nothing here holds more than two chunks of entries at a time (one used, the next being read).
 */
export class ReportService {
  constructor(private readonly db: Database) {}

  async prepare(
    org: OrgContext,
    principal: Principal | null,
    query: ReportQuery,
  ): Promise<PreparedReport> {
    if (!principal) throw new Error('a report needs a caller');
    const me = principal.userId;
    if (org.role === 'viewer' && !(await store.viewersSeeReports(this.db, org.id))) {
      throw forbidden(
        'Viewers see time reports only where the organization allows it (time settings: viewersSeeReports)',
      );
    }
    const zone = query.tz ?? (await store.profileTimeZone(this.db, me));
    const request = parseReportRequest(query, zone);
    await this.checkZone(request.timezone, zone);

    const asked = request.users?.map((user) => (user === 'me' ? me : user.toLowerCase())) ?? null;
    let userIds = asked ? [...new Set(asked)] : null;
    if (org.role === 'member') {
      if (userIds?.some((id) => id !== me)) {
        throw forbidden('Members see only their own time in reports: ask for users=me');
      }
      userIds = [me];
    }
    const projects = request.projects ? await this.resolveProjects(org.id, request.projects) : null;
    const names = asked ? await store.userNames(this.db, org.id, asked) : new Map();
    return {
      org,
      request,
      filter: {
        orgId: org.id,
        from: request.from,
        to: request.to,
        timezone: request.timezone,
        userIds,
        projectIds: projects?.map((p) => p.id) ?? null,
        billable: request.billable,
        tags: request.tags,
      },
      described: {
        projects: projects?.map((p) => p.key) ?? [],
        users: asked?.map((id) => names.get(id) ?? id) ?? [],
      },
    };
  }

  /**
   * The report's entries, oldest first, in chunks: each chunk one short query, the next one read
   * while this one is used (two chunks at most in memory).
   */
  async *entries(report: PreparedReport, chunk = ENTRY_CHUNK): AsyncGenerator<ReportEntry[]> {
    const { rounding, roundTo } = report.request;
    const names = new EntryNames(this.db, report.org.id);
    const read = (after: string | null) => store.listEntries(this.db, report.filter, after, chunk);
    let next: Promise<store.EntryRow[]> | null = read(null);
    try {
      while (next) {
        const rows: store.EntryRow[] = await next;
        next = rows.length === chunk ? read(rows.at(-1)!.id) : null;
        await names.learn(rows);
        if (rows.length) yield rows.map((row) => toReportEntry(row, names, rounding, roundTo));
      }
    } finally {
      // A reader that stopped early (a closed connection) leaves the read ahead unused.
      next?.catch(() => {});
    }
  }

  /** Totals and groups, the entries streamed through them a chunk at a time. */
  async summarize(report: PreparedReport): Promise<TimeReport> {
    const { request } = report;
    const totals = new GroupedTotals(request.groupBy);
    for await (const chunk of this.entries(report)) for (const entry of chunk) totals.add(entry);
    return {
      from: request.from,
      to: request.to,
      timezone: request.timezone,
      groupBy: request.groupBy,
      rounding: request.rounding,
      roundTo: request.roundTo,
      groups: totals.groups(),
      total: totals.totals(),
    };
  }

  /** Intl and the database both know IANA zones, but from their own copies of the data. */
  private async checkZone(zone: string, asked: string) {
    try {
      await store.checkTimeZone(this.db, zone);
    } catch (error) {
      if ((error as { code?: string }).code === '22023') throw invalidTimeZone(asked);
      throw error;
    }
  }

  private async resolveProjects(orgId: string, refs: string[]) {
    const found = await store.findProjects(this.db, orgId, refs);
    const missing = refs.filter(
      (ref) => !found.some((p) => p.id === ref.toLowerCase() || p.key === ref),
    );
    if (missing.length) {
      throw badRequest(`No project ${missing.join(', ')} in this organization`, [
        { path: '/query/projects', message: `names no project: ${missing.join(', ')}` },
      ]);
    }
    return found;
  }
}
