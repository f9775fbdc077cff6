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

/** Opens PGlite in `dataDir`, or in memory when it is undefined; `loadDataDir` seeds it. */
export async function openPGlite(
  options: { dataDir?: string; loadDataDir?: Blob } = {},
): Promise<PGliteDatabase> {
  const pglite = new PGlite({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  await pglite.waitReady;
  return wrapPGlite(pglite);
}
