import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate } from '../db/migrate.js';
import { openPGlite } from '../db/pglite.js';
import { openPostgres } from '../db/postgres.js';
import { databaseUrl, withAdmin } from './databases.js';

/**
 * Builds one migrated database per test run; each test file then loads a copy of it
 * (PGlite: a data-dir tarball; PostgreSQL: CREATE DATABASE … TEMPLATE).
 */
export default async function setup(project: TestProject) {
  const url = process.env.PM_TEST_DATABASE_URL;
  if (url) {
    const prefix = `pmkit_test_${Date.now().toString(36)}_${process.pid}`;
    const template = `${prefix}_template`;
    await withAdmin(url, (admin) => admin.query(`CREATE DATABASE "${template}"`));
    const db = openPostgres(databaseUrl(url, template), { max: 1 });
    await migrate(db);
    await db.close();
    project.provide('pmTestDatabase', { kind: 'postgresql', url, template, prefix });
    return async () => {
      await withAdmin(url, async (admin) => {
        const { rows } = await admin.query<{ datname: string }>(
          'SELECT datname FROM pg_database WHERE datname LIKE $1',
          [`${prefix}%`],
        );
        for (const { datname } of rows)
          await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      });
    };
  }

  const dir = await mkdtemp(join(tmpdir(), 'pmkit-test-'));
  const db = await openPGlite();
  await migrate(db);
  const dumpPath = join(dir, 'template.tar');
  await writeFile(dumpPath, Buffer.from(await (await db.dump()).arrayBuffer()));
  await db.close();
  project.provide('pmTestDatabase', { kind: 'pglite', dumpPath });
  return () => rm(dir, { recursive: true, force: true });
}
