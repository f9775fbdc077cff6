import type { Database, Queryable } from '@pmkit/server';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, signUp } from '../identity/helpers.js';

// Two uses of one refresh token, made to overlap for certain: each transaction, once it has read
// the token, waits until the other has read it too (or 300 ms pass). With the row lock the second
// read waits for the first transaction to commit and sees the token used; without it, both read
// it unused and both would rotate it.
const LOCK_READ = 'FROM refresh_tokens t JOIN sessions s';
let waiting: (() => void)[] = [];
function meetTheOther(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (waiting.length >= 2) {
      for (const release of waiting) release();
      waiting = [];
    } else {
      setTimeout(() => {
        waiting = waiting.filter((r) => r !== resolve);
        resolve();
      }, 300);
    }
  });
}

function overlapping(db: Database): Database {
  const watch = (tx: Queryable): Queryable => ({
    ...tx,
    exec: (sql) => tx.exec(sql),
    async query(sql, params) {
      const result = await tx.query(sql, params);
      if (sql.includes(LOCK_READ)) await meetTheOther();
      return result as never;
    },
  });
  return {
    ...db,
    kind: db.kind,
    query: (sql, params) => db.query(sql, params),
    exec: (sql) => db.exec(sql),
    transaction: (work) => db.transaction((tx) => work(watch(tx))),
    close: () => db.close(),
    listen: db.listen?.bind(db),
  } as Database;
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ wrapDatabase: overlapping });
});
afterAll(() => server.close());

describe('a refresh token used twice at once', () => {
  it('rotates once: the other use is refused, whatever the timing', async () => {
    const user = await signUp(server, 'refresh-overlap');
    const { refreshToken } = await server
      .client()
      .auth.login({ email: user.email, password: PASSWORD });
    const results = await Promise.allSettled([
      server.client().auth.refresh(refreshToken),
      server.client().auth.refresh(refreshToken),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect((refused as PromiseRejectedResult).reason.status).toBe(401);
  });
});
