import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('a transaction', () => {
  it('refuses a query sent through the database handle while it is open', async () => {
    const { db } = server;
    await expect(
      db.transaction(async (tx) => {
        await tx.query('SELECT 1');
        await db.query('SELECT 1');
      }),
    ).rejects.toThrow(/use its tx handle/);
    await expect(db.transaction(() => db.transaction(async () => 1))).rejects.toThrow(
      /use its tx handle/,
    );
  });

  it('leaves work that outlives it free to use the handle', async () => {
    const { db } = server;
    let later: Promise<unknown> | undefined;
    await db.transaction(async (tx) => {
      await tx.query('SELECT 1');
      later = new Promise((resolve) => setTimeout(resolve, 10)).then(() => db.query('SELECT 2'));
    });
    await expect(later).resolves.toMatchObject({ rows: [{}] });
  });

  it('lets other requests use the handle meanwhile', async () => {
    const { db } = server;
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const open = db.transaction(async (tx) => {
      await tx.query('SELECT 1');
      await held;
    });
    const outside = db.query('SELECT 3');
    release();
    await open;
    await expect(outside).resolves.toMatchObject({ rows: [{}] });
  });
});
