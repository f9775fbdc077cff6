import pg from 'pg';
import { PostgresListener } from './listener.js';
import type { Database, Queryable, QueryResult } from './types.js';

// int8 (counts, bigserial ids) as numbers, as PGlite returns them; our ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

function wrap(target: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<Row>(sql: string, params?: unknown[]): Promise<QueryResult<Row>> {
      const result = await target.query(sql, params as unknown[]);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(sql) {
      await target.query(sql);
    },
  };
}

export function openPostgres(connectionString: string, options: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const queryable = wrap(pool);
  let listener: PostgresListener | undefined;
  let closed = false;
  return {
    kind: 'postgresql',
    query: queryable.query,
    exec: queryable.exec,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
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
