import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPGlite, writePgliteTemplate } from '../../src/db/pglite.js';

// A first start loads the cluster made at build time instead of running initdb in the server.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmkit-template-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the PGlite template', () => {
  it('seeds an empty data directory, which then reopens as itself', async () => {
    const template = join(dir, 'template.tar.gz');
    await writePgliteTemplate(template);
    const dataDir = join(dir, 'data');
    const db = await openPGlite({ dataDir, template });
    await db.exec('CREATE TABLE seeded (n int); INSERT INTO seeded VALUES (1)');
    const { rows } = await db.query<{ sb: string }>(`SELECT current_setting('shared_buffers') sb`);
    expect(rows[0]!.sb).toBe('16MB');
    await db.close();
    const again = await openPGlite({ dataDir, template });
    expect((await again.query('SELECT n FROM seeded')).rows).toEqual([{ n: 1 }]);
    await again.close();
  });

  it('a damaged template falls back to creating the cluster', async () => {
    const template = join(dir, 'damaged.tar.gz');
    await writeFile(template, 'not a tarball');
    const db = await openPGlite({ dataDir: join(dir, 'fallback'), template });
    expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await db.close();
  });
});
