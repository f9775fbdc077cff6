import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../src/http/problem.js';
import { Keyset, type KeysetOptions } from '../src/lib/keyset.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await server.db.exec(`CREATE TABLE keyset_rows (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(), rank integer NOT NULL, title text NOT NULL,
    due timestamptz NOT NULL)`);
  // Many ties on every key, and timestamps that differ only in their microseconds.
  await server.db.query(
    `INSERT INTO keyset_rows (rank, title, due)
     SELECT i % 4, 'title ' || (i % 5), timestamptz '2026-01-01' + (i % 3) * interval '1 microsecond'
     FROM generate_series(1, 61) AS i`,
  );
});
afterAll(() => server.close());

const options = (sort: string | undefined, cursor?: string): KeysetOptions => ({
  sortable: {
    rank: { sql: 'rank', kind: 'number' },
    title: { sql: 'title', kind: 'text' },
    due: { sql: 'due', kind: 'timestamp' },
  },
  defaultSort: 'rank',
  unique: { sql: 'id', kind: 'uuid' },
  sort,
  cursor,
  limit: 7,
});

async function walk(sort: string | undefined) {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const keyset = new Keyset(options(sort, cursor));
    const params: unknown[] = [];
    const { rows } = await server.db.query<{ id: string }>(
      `SELECT id, ${keyset.select()} FROM keyset_rows WHERE ${keyset.where(params)}
       ORDER BY ${keyset.orderBy()} ${keyset.limitClause(params)}`,
      params,
    );
    const page = keyset.page(rows, (row) => row.id);
    ids.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

describe('keyset pages', () => {
  for (const sort of [undefined, '-rank', 'title,-due', '-due,rank,title', 'due,-title']) {
    it(`walk every row once, in order, sorted by ${sort ?? 'the default'}`, async () => {
      const order = (sort ?? 'rank')
        .split(',')
        .map((part) => (part.startsWith('-') ? `${part.slice(1)} DESC` : `${part} ASC`));
      const direction = order.at(-1)!.endsWith('DESC') ? 'DESC' : 'ASC';
      const { rows } = await server.db.query<{ id: string }>(
        `SELECT id FROM keyset_rows ORDER BY ${order.join(', ')}, id ${direction}`,
      );
      expect(await walk(sort)).toEqual(rows.map((row) => row.id));
    });
  }

  it('refuses an unknown field, and a cursor made for another sort or forged', () => {
    expect(() => new Keyset(options('-secret'))).toThrow(HttpError);
    const cursor = Buffer.from(
      JSON.stringify(['rank', '1', '00000000-0000-0000-0000-000000000000']),
    ).toString('base64url');
    expect(() => new Keyset(options('rank', cursor))).not.toThrow();
    expect(() => new Keyset(options('-rank', cursor))).toThrow(HttpError);
    const forged = Buffer.from(JSON.stringify(['rank', "1'; --", 'x'])).toString('base64url');
    expect(() => new Keyset(options('rank', forged))).toThrow(HttpError);
  });
});
