import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { migrate } from '../db/migrate.js';
import { openPGlite } from '../db/pglite.js';
import { openPostgres } from '../db/postgres.js';
import type { Database } from '../db/types.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pmTestDatabase: TestDatabaseTemplate;
  }
}

/** What the global setup built once per test run, for every test file to copy. */
export type TestDatabaseTemplate =
  | { kind: 'pglite'; dumpPath: string }
  | { kind: 'postgresql'; url: string; template: string; prefix: string };

export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function withAdmin<T>(
  url: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database of the run's own, copied from the migrated template. */
export async function openTestDatabase(template: TestDatabaseTemplate | undefined): Promise<{
  db: Database;
  /** PostgreSQL's connection string, for a second instance on the same database. */
  url?: string;
  drop(): Promise<void>;
}> {
  if (!template) {
    // No global setup (a single file run by hand): build and migrate from scratch.
    const db = await openPGlite();
    await migrate(db);
    return { db, drop: () => db.close() };
  }
  if (template.kind === 'pglite') {
    const db = await openPGlite({ loadDataDir: new Blob([await readFile(template.dumpPath)]) });
    return { db, drop: () => db.close() };
  }
  const name = `${template.prefix}_${randomBytes(4).toString('hex')}`;
  await withAdmin(template.url, (admin) =>
    admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template.template}"`),
  );
  const url = databaseUrl(template.url, name);
  const db = openPostgres(url, { max: 5 });
  return {
    db,
    url,
    async drop() {
      await db.close();
      await withAdmin(template.url, (admin) =>
        admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
    },
  };
}
