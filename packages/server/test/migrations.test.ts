import { loadMigrations, migrate, startServer } from '@pmkit/server';
import { pino } from 'pino';
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
    const url = databaseUrl(template.url, name);
    const logs: string[] = [];
    const logger = () => pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
    const servers = await Promise.all(
      [0, 1].map(() =>
        startServer({ databaseUrl: url, port: 0, host: '127.0.0.1', logger: logger() }),
      ),
    );
    try {
      for (const server of servers) expect((await fetch(`${server.url}/ready`)).status).toBe(200);
      const all = (await loadMigrations()).map((m) => m.name);
      const applied = logs
        .map((line) => JSON.parse(line) as { msg: string; migrations?: string[] })
        .filter((entry) => entry.msg === 'migrations applied')
        .flatMap((entry) => entry.migrations ?? []);
      expect(applied.sort()).toEqual(all);
      const { rows } = await servers[0]!.db.query<{ name: string }>(
        'SELECT name FROM schema_migrations ORDER BY name',
      );
      expect(rows.map((r) => r.name)).toEqual(all);
    } finally {
      await Promise.all(servers.map((server) => server.close()));
    }
  });
});
