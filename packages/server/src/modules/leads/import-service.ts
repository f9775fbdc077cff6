import { Readable } from 'node:stream';
import type { components } from '@pmkit/sdk/schema';
import { stringify } from 'csv-stringify';
import type { OrgContext } from '../../context/org.js';
import type { Principal } from '../../context/principal.js';
import type { Database, Queryable } from '../../db/types.js';
import type { IdempotencyRecord } from '../../http/idempotency.js';
import { HttpError, notFound } from '../../http/problem.js';
import type { StreamedBody } from '../../http/request-body.js';
import type { Clock } from '../../lib/clock.js';
import { neutralise } from '../../lib/csv.js';
import { type Actor, type RequestMeta, recordEvent } from '../../lib/events.js';
import { csvRecords, type ImportEncoding } from './csv-rows.js';
import * as imports from './import-store.js';
import { type ImportRow, type Mapping, mapHeader, parseMap, readRow } from './mapping.js';
import type { LeadService } from './service.js';

type LeadImport = components['schemas']['LeadImport'];
type LeadImportError = components['schemas']['LeadImportError'];

export interface ImportOptions {
  dryRun?: boolean;
  dedupe?: 'email' | 'phone';
  onDuplicate?: 'skip' | 'update' | 'create';
  map?: string;
  encoding?: ImportEncoding;
  region?: string;
}

export const IMPORT_BATCH = 1000;
const SHOWN_ERRORS = 100;

const toImport = (row: imports.ImportRowRecord, errors: LeadImportError[]): LeadImport => ({
  id: row.id,
  status: row.status,
  dryRun: false,
  rowsSeen: row.rows_seen,
  created: row.created,
  updated: row.updated,
  skipped: row.skipped,
  failed: row.failed,
  ignoredColumns: row.ignored_columns,
  errors,
  detail: row.detail,
  createdAt: row.created_at.toISOString(),
  finishedAt: row.finished_at?.toISOString() ?? null,
});

interface Pending {
  row: number;
  raw: string[];
  result: ReturnType<typeof readRow>;
}

/**
 * CSV imports: the body is parsed as it arrives and written in batches of {@link IMPORT_BATCH}
 * data rows, each batch one short transaction that also moves the import's progress (`last_row`).
 * A rerun under the same Idempotency-Key finds the import by its key and resumes after
 * `last_row`, so each row is written exactly once whatever point the first attempt died at.
 */
export class LeadImportService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly leads: LeadService,
  ) {}

  async get(org: OrgContext, id: string): Promise<LeadImport> {
    const row = await imports.findImport(this.db, org.id, id);
    if (!row) throw notFound('No such lead import');
    const errors = await imports.listErrors(this.db, org.id, id, 0, SHOWN_ERRORS);
    return toImport(
      row,
      errors.map((e) => ({ row: e.row_number, column: e.column_name, message: e.message })),
    );
  }

  /** The refused rows as they were, plus `error`: read in keyset chunks, streamed. */
  async errorsCsv(org: OrgContext, id: string): Promise<Readable> {
    const row = await imports.findImport(this.db, org.id, id);
    if (!row) throw notFound('No such lead import');
    const db = this.db;
    async function* pages() {
      let after = 0;
      for (;;) {
        const chunk = await imports.listErrors(db, org.id, id, after, 2000);
        yield chunk;
        if (chunk.length < 2000) return;
        after = chunk.at(-1)!.row_number;
      }
    }
    // Short rows padded to the header, long ones kept whole: `error` follows the row's cells.
    const width = row.header.length;
    const lines = Readable.from(
      (async function* () {
        yield [...row.header, 'error'].map(neutralise);
        for await (const chunk of pages()) {
          for (const e of chunk) {
            const cells = [...e.raw, ...Array(Math.max(0, width - e.raw.length)).fill('')];
            yield [...cells, e.column_name ? `${e.column_name}: ${e.message}` : e.message].map(
              neutralise,
            );
          }
        }
      })(),
    );
    const csv = stringify();
    lines.on('error', (error) => csv.destroy(error));
    return lines.pipe(csv);
  }

  async run(
    org: OrgContext,
    principal: Principal,
    body: StreamedBody,
    options: ImportOptions,
    context: { key: string | undefined; idempotency: IdempotencyRecord | undefined },
    actor: Actor,
    meta: RequestMeta,
  ): Promise<{ status: 200 | 201; body: LeadImport }> {
    const explicit = parseMap(options.map);
    const dedupe = options.dedupe ?? 'email';
    const onDuplicate = options.onDuplicate ?? 'skip';
    const dryRun = options.dryRun ?? false;
    await this.leads.ensurePipeline(this.db, org.id);
    const statuses = await this.leads.listStatuses(org);
    const statusIds = new Map(statuses.items.map((s) => [s.name.toLowerCase(), s.id]));
    const firstStatus = statuses.items[0]?.id;
    if (!firstStatus) {
      throw new HttpError(409, 'The lead pipeline has no status: add one first', {
        type: 'conflict',
      });
    }

    // A crashed attempt under the same key: resume it after its last written batch.
    let current =
      context.key && !dryRun
        ? await imports.findImportByKey(this.db, org.id, principal.userId, context.key)
        : undefined;
    if (current && current.status !== 'running') {
      await imports.releaseKey(this.db, org.id, current.id);
      current = undefined;
    }
    const resumeAfter = current?.last_row ?? 0;

    let mapping: Mapping | undefined;
    let batch: Pending[] = [];
    const shown: LeadImportError[] = [];
    const totals = { seen: 0, created: 0, updated: 0, skipped: 0, failed: 0 };
    // Dry run only (nothing is written to match against): the keys seen so far.
    const seenKeys = new Set<string>();

    const flush = async (last: boolean) => {
      if (!mapping) return;
      const rows = batch;
      batch = [];
      if (dryRun) return this.dryBatch(org.id, rows, dedupe, onDuplicate, seenKeys, totals, shown);
      await this.db.transaction(async (tx) => {
        if (!current) {
          current = await imports.insertImport(tx, {
            orgId: org.id,
            createdBy: principal.userId,
            key: context.key ?? null,
            options: { dedupe, onDuplicate, map: options.map ?? null, encoding: options.encoding },
            header: mapping!.header,
            ignored: mapping!.ignored,
            now: this.clock.now(),
          });
          await recordEvent(tx, {
            orgId: org.id,
            actor,
            entity: 'lead_import',
            entityId: current.id,
            action: 'created',
            changes: { dedupe, onDuplicate },
            meta,
          });
        }
        const progress = await this.writeBatch(
          tx,
          org.id,
          current.id,
          principal.userId,
          rows,
          { dedupe, onDuplicate, statusIds, firstStatus },
          shown,
        );
        current = await imports.addProgress(
          tx,
          org.id,
          current.id,
          progress,
          last ? { status: 'completed', detail: null, at: this.clock.now() } : undefined,
        );
        if (last) {
          await recordEvent(tx, {
            orgId: org.id,
            actor,
            entity: 'lead_import',
            entityId: current.id,
            action: 'completed',
            changes: {
              rowsSeen: current.rows_seen,
              created: current.created,
              updated: current.updated,
              skipped: current.skipped,
              failed: current.failed,
            },
            meta,
          });
          const reply = { status: 201 as const, body: await this.resultOf(tx, org.id, current) };
          await context.idempotency?.record(tx, reply);
        }
      });
    };

    // A batch is written while the next one is parsed (one in flight at a time, in order).
    let inflight: Promise<void> = Promise.resolve();
    try {
      for await (const record of csvRecords(body, options.encoding ?? 'auto')) {
        if (record.row === 0) {
          mapping = mapHeader(
            record.cells.map((h) => h.trim()),
            explicit,
          );
          continue;
        }
        if (record.row <= resumeAfter) continue;
        batch.push({
          row: record.row,
          raw: record.cells,
          result: readRow(record.cells, mapping!, options.region),
        });
        if (batch.length >= IMPORT_BATCH) {
          await inflight;
          inflight = flush(false);
          inflight.catch(() => {});
        }
      }
      await inflight;
      if (!mapping) throw new HttpError(400, 'The file is empty', { type: 'bad-csv' });
      if (!current && batch.length === 0 && resumeAfter === 0 && totals.seen === 0) {
        throw new HttpError(400, 'The file has a header but no rows', {
          type: 'bad-csv',
          errors: [{ path: '/body', message: 'has no data rows' }],
        });
      }
      // The last batch completes the import (an empty one when the file ended on a boundary).
      await flush(true);
    } catch (error) {
      await inflight.catch(() => {});
      // Read the rest of the upload (bounded by the size limit), so the caller gets the answer.
      if (!body.stream.destroyed) body.stream.resume();
      if (current && !dryRun) await this.abandon(org.id, current.id, error);
      throw error;
    }
    if (dryRun) {
      return {
        status: 200,
        body: {
          id: null,
          status: 'completed',
          dryRun: true,
          rowsSeen: totals.seen,
          created: totals.created,
          updated: totals.updated,
          skipped: totals.skipped,
          failed: totals.failed,
          ignoredColumns: mapping?.ignored ?? [],
          errors: shown,
          detail: null,
          createdAt: this.clock.now().toISOString(),
          finishedAt: this.clock.now().toISOString(),
        },
      };
    }
    return { status: 201, body: await this.resultOf(this.db, org.id, current!) };
  }

  private async resultOf(q: Queryable, orgId: string, row: imports.ImportRowRecord) {
    const errors = await imports.listErrors(q, orgId, row.id, 0, SHOWN_ERRORS);
    return toImport(
      row,
      errors.map((e) => ({ row: e.row_number, column: e.column_name, message: e.message })),
    );
  }

  /**
   * The file turned out bad part-way (unclosed quote, over the size limit): the leads this import
   * created go again and it is marked failed, so nothing of it stays half-written. (Leads it
   * updated keep their update: `onDuplicate=update` imports are not undone.)
   */
  private async abandon(orgId: string, importId: string, error: unknown) {
    const detail = error instanceof Error ? error.message : String(error);
    try {
      await this.db.transaction(async (tx) => {
        await imports.deleteCreatedBy(tx, orgId, importId);
        await imports.addProgress(
          tx,
          orgId,
          importId,
          { lastRow: 0, seen: 0, created: 0, updated: 0, skipped: 0, failed: 0 },
          { status: 'failed', detail: detail.slice(0, 1000), at: this.clock.now() },
        );
      });
    } catch {
      // The database is gone too (a crash): a rerun with the same key resumes the import.
    }
  }

  private async writeBatch(
    tx: Queryable,
    orgId: string,
    importId: string,
    ownerId: string,
    rows: Pending[],
    o: {
      dedupe: 'email' | 'phone';
      onDuplicate: 'skip' | 'update' | 'create';
      statusIds: Map<string, string>;
      firstStatus: string;
    },
    shown: LeadImportError[],
  ): Promise<imports.Progress> {
    const progress: imports.Progress = {
      lastRow: rows.at(-1)?.row ?? 0,
      seen: rows.length,
      created: 0,
      updated: 0,
      skipped: 0,
      failed: 0,
    };
    const errors: imports.ImportError[] = [];
    const good: { row: number; raw: string[]; lead: ImportRow; statusId: string }[] = [];
    for (const pending of rows) {
      const { result } = pending;
      if (!result.ok) {
        errors.push({
          row: pending.row,
          column: result.column,
          message: result.message,
          raw: pending.raw,
        });
        continue;
      }
      const statusId = result.lead.status
        ? o.statusIds.get(result.lead.status.toLowerCase())
        : o.firstStatus;
      if (!statusId) {
        errors.push({
          row: pending.row,
          column: 'status',
          message: `"${result.lead.status}" is not a status of the pipeline`,
          raw: pending.raw,
        });
        continue;
      }
      good.push({ row: pending.row, raw: pending.raw, lead: result.lead, statusId });
    }
    const keyOf = (lead: ImportRow) => (o.dedupe === 'email' ? lead.emailNorm : lead.phoneNorm);
    const matches =
      o.onDuplicate === 'create'
        ? new Map<string, imports.Match>()
        : new Map(
            (
              await imports.findMatches(tx, orgId, o.dedupe, [
                ...new Set(good.map((g) => keyOf(g.lead)).filter((k): k is string => !!k)),
              ])
            ).map((m) => [m.key, m]),
          );
    const inserts: imports.NewLead[] = [];
    const updates: (imports.NewLead & { id: string; statusGiven: boolean })[] = [];
    const inBatch = new Set<string>();
    for (const g of good) {
      const values: imports.NewLead = {
        row: g.row,
        name: g.lead.name,
        email: g.lead.email ?? null,
        emailNorm: g.lead.emailNorm,
        phone: g.lead.phone ?? null,
        phoneNorm: g.lead.phoneNorm,
        company: g.lead.company ?? null,
        title: g.lead.title ?? null,
        source: g.lead.source ?? null,
        statusId: g.statusId,
        tags: g.lead.tags ?? [],
        notes: g.lead.notes ?? '',
        nextFollowUpAt: g.lead.nextFollowUpAt
          ? new Date(g.lead.nextFollowUpAt).toISOString()
          : null,
        lostReason: g.lead.lostReason ?? null,
        customFields: g.lead.customFields,
      };
      const key = keyOf(g.lead);
      if (o.onDuplicate === 'create' || !key) {
        inserts.push(values);
        continue;
      }
      const match = matches.get(key);
      // A repeat of an earlier row of this file (this batch, or one already written): skipped.
      if (inBatch.has(key) || match?.last_import_id === importId) {
        progress.skipped++;
        continue;
      }
      inBatch.add(key);
      if (!match) inserts.push(values);
      else if (o.onDuplicate === 'skip') progress.skipped++;
      else updates.push({ ...values, id: match.id, statusGiven: Boolean(g.lead.status) });
    }
    const now = this.clock.now();
    progress.created = await imports.insertLeads(tx, orgId, importId, ownerId, now, inserts);
    progress.updated = await imports.updateLeads(tx, orgId, importId, now, updates);
    if (progress.created + progress.updated > 0) {
      await this.leads.rescoreImported(tx, orgId, importId, now);
    }
    await imports.insertErrors(tx, orgId, importId, errors);
    progress.failed = errors.length;
    for (const e of errors) {
      if (shown.length < SHOWN_ERRORS)
        shown.push({ row: e.row, column: e.column, message: e.message });
    }
    return progress;
  }

  /** A dry run's batch: the same checks, duplicates looked up, nothing written. */
  private async dryBatch(
    orgId: string,
    rows: Pending[],
    dedupe: 'email' | 'phone',
    onDuplicate: 'skip' | 'update' | 'create',
    seenKeys: Set<string>,
    totals: { seen: number; created: number; updated: number; skipped: number; failed: number },
    shown: LeadImportError[],
  ) {
    totals.seen += rows.length;
    const good: ImportRow[] = [];
    for (const p of rows) {
      if (p.result.ok) good.push(p.result.lead);
      else {
        totals.failed++;
        if (shown.length < SHOWN_ERRORS) {
          shown.push({ row: p.row, column: p.result.column, message: p.result.message });
        }
      }
    }
    const keyOf = (lead: ImportRow) => (dedupe === 'email' ? lead.emailNorm : lead.phoneNorm);
    const existing =
      onDuplicate === 'create'
        ? new Set<string>()
        : new Set(
            (
              await imports.findMatches(
                this.db,
                orgId,
                dedupe,
                good.map(keyOf).filter((k): k is string => !!k),
              )
            ).map((m) => m.key),
          );
    for (const lead of good) {
      const key = keyOf(lead);
      if (onDuplicate === 'create' || !key) totals.created++;
      else if (seenKeys.has(key)) totals.skipped++;
      else {
        seenKeys.add(key);
        if (!existing.has(key)) totals.created++;
        else if (onDuplicate === 'skip') totals.skipped++;
        else totals.updated++;
      }
    }
  }
}
