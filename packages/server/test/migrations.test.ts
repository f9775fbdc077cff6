import { loadMigrations, migrate, openPostgres } from '@pmkit/server';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { databaseUrl, openTestDatabase, withAdmin } from '../src/testing/databases.js';

const template = inject('pmTestDatabase');

describe('migrations', () => {
  it('re-running applies nothing', async () => {
    const { db, drop } = await openTestDatabase(template);
    try {
      expect(await migrate(db)).toEqual([]);
    } finally {
      await drop();
    }
  });

  it('refuses to start when an applied migration was edited', async () => {
    const { db, drop } = await openTestDatabase(template);
    try {
      const migrations = await loadMigrations();
      const edited = migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
      await expect(migrate(db, edited)).rejects.toThrow(/was changed after it was applied/);
    } finally {
      await drop();
    }
  });
});

describe.skipIf(template.kind !== 'postgresql')('migrations on PostgreSQL', () => {
  const created: string[] = [];
  afterAll(async () => {
    if (template.kind !== 'postgresql') return;
    for (const name of created) {
      await withAdmin(template.url, (admin) =>
        admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
    }
  });

  it('two servers starting at once against an empty database both come up, migrating once', async () => {
    if (template.kind !== 'postgresql') return;
    const name = `${template.prefix}_race`;
    created.push(name);
    await withAdmin(template.url, (admin) => admin.query(`CREATE DATABASE "${name}"`));
    const a = openPostgres(databaseUrl(template.url, name));
    const b = openPostgres(databaseUrl(template.url, name));
    try {
      const [ranA, ranB] = await Promise.all([migrate(a), migrate(b)]);
      const all = (await loadMigrations()).map((m) => m.name);
      expect([...ranA, ...ranB].sort()).toEqual(all);
      const { rows } = await a.query<{ name: string }>(
        'SELECT name FROM schema_migrations ORDER BY name',
      );
      expect(rows.map((r) => r.name)).toEqual(all);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
