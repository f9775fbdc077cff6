import pg from 'pg';
import { assertNoOpenTransaction, scrubQueryError, withinTransaction } from './guard.js';
import { PostgresListener } from './listener.js';
import type { Database, Queryable, QueryResult } from './types.js';

// int8 (counts, bigserial ids) as numbers, as PGlite returns them; our ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

function wrap(target: pg.Pool | pg.PoolClient, outside: boolean): Queryable {
  return {
    async query<Row>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
      if (outside) assertNoOpenTransaction();
      try {
        const result = await target.query(sql, params as unknown[]);
        return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
      } catch (error) {
        throw scrubQueryError(error);
      }
    },
    async exec(sql) {
      if (outside) assertNoOpenTransaction();
      try {
        await target.query(sql);
      } catch (error) {
        throw scrubQueryError(error);
      }
    },
  };
}

export function openPostgres(connectionString: string, options: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const queryable = wrap(pool, true);
  let listener: PostgresListener | undefined;
  let closed = false;
  return {
    kind: 'postgresql',
    query: queryable.query,
    exec: queryable.exec,
    transaction(work) {
      return withinTransaction(async () => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const result = await work(wrap(client, false));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw scrubQueryError(error);
        } finally {
          client.release();
        }
      });
    },
    listen(channel, onNotice) {
      listener ??= new PostgresListener(connectionString);
      return listener.listen(channel, onNotice);
    },
    async close() {
      if (closed) return;
      closed = true;
      await listener?.close();
      await pool.end();
    },
  };
}
