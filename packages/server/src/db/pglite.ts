import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { assertNoOpenTransaction, scrubQueryError, withinTransaction } from './guard.js';
import type { Database, Queryable, QueryResult } from './types.js';

type PGliteQueryable = Pick<PGlite, 'query' | 'exec'>;

function wrap(target: PGliteQueryable, outside: boolean): Queryable {
  return {
    async query<Row>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
      if (outside) assertNoOpenTransaction();
      try {
        const result = await target.query<Row>(sql, params);
        return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
      } catch (error) {
        throw scrubQueryError(error);
      }
    },
    async exec(sql) {
      if (outside) assertNoOpenTransaction();
      try {
        await target.exec(sql);
      } catch (error) {
        throw scrubQueryError(error);
      }
    },
  };
}

export interface PGliteDatabase extends Database {
  /** The whole data directory as a tarball, to seed copies with `openPGlite({ loadDataDir })`. */
  dump(): Promise<Blob>;
}

export function wrapPGlite(pglite: PGlite): PGliteDatabase {
  const queryable = wrap(pglite, true);
  return {
    kind: 'pglite',
    query: queryable.query,
    exec: queryable.exec,
    transaction(work) {
      return withinTransaction(() => pglite.transaction((tx) => work(wrap(tx, false))));
    },
    async close() {
      if (!pglite.closed) await pglite.close();
    },
    dump() {
      return pglite.dumpDataDir('none');
    },
  };
}

/**
 * PostgreSQL's defaults size a database server (128 MB of shared buffers, 1 GB of WAL); one
 * embedded process serving a team needs far less, and every page it touches stays resident.
 */
const SETTINGS = [
  'shared_buffers=16MB',
  'work_mem=2MB',
  'maintenance_work_mem=16MB',
  'temp_buffers=2MB',
  'wal_buffers=1MB',
  'max_wal_size=64MB',
  'min_wal_size=32MB',
].flatMap((setting) => ['-c', setting]);

function open(options: { dataDir?: string; loadDataDir?: Blob }): PGlite {
  return new PGlite({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    startParams: [...PGlite.defaultStartParams, ...SETTINGS],
    initDbStartParams: SETTINGS,
  });
}

/**
 * A freshly created cluster, made at build time beside the bundle (`npm run build`): a first start
 * loads it instead of running initdb in the server process, which is what peaks near 800 MB.
 */
const TEMPLATE = fileURLToPath(new URL('./pglite-template.tar.gz', import.meta.url));

/** Writes the template a first start loads (build step). */
export async function writePgliteTemplate(path = TEMPLATE): Promise<void> {
  const pglite = open({});
  await pglite.waitReady;
  const dump = await pglite.dumpDataDir('gzip');
  await pglite.close();
  await writeFile(path, Buffer.from(await dump.arrayBuffer()));
}

/** Opens PGlite in `dataDir`, or in memory when it is undefined; `loadDataDir` seeds it. */
export async function openPGlite(
  options: { dataDir?: string; loadDataDir?: Blob; template?: string } = {},
): Promise<PGliteDatabase> {
  const fresh = options.dataDir !== undefined && !existsSync(join(options.dataDir, 'PG_VERSION'));
  const template = options.template ?? TEMPLATE;
  if (fresh && !options.loadDataDir && existsSync(template)) {
    const dataDir = options.dataDir!;
    try {
      // Unzipped here, so a damaged file is an error we catch (PGlite's own unzip would crash).
      const tar = gunzipSync(readFileSync(template));
      const pglite = open({ dataDir, loadDataDir: new Blob([tar]) });
      await pglite.waitReady;
      return wrapPGlite(pglite);
    } catch {
      // A template from another PGlite build: create the cluster here instead.
      for (const name of existsSync(dataDir) ? readdirSync(dataDir) : []) {
        if (name !== 'pmkit.pid') rmSync(join(dataDir, name), { recursive: true, force: true });
      }
    }
  }
  let pglite = open(options);
  await pglite.waitReady;
  if (fresh && !options.loadDataDir) {
    // Creating the cluster (initdb) leaves hundreds of MB resident for the life of the process;
    // reopening the new directory costs a few hundred ms once and gives them back.
    await pglite.close();
    pglite = open(options);
    await pglite.waitReady;
  }
  return wrapPGlite(pglite);
}
