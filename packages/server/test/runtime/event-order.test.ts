import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Database } from '../../src/db/types.js';
import { recordEvent } from '../../src/lib/events.js';
import {
  decodePosition,
  type EventPosition,
  encodePosition,
  ORIGIN,
  readEventsAfter,
} from '../../src/modules/events/reader.js';
import { openTestDatabase } from '../../src/testing/databases.js';

let db: Database;
let url: string | undefined;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, url, drop } = await openTestDatabase(inject('pmTestDatabase')));
});
afterAll(() => drop());

const system = { kind: 'system', id: null } as const;
const write = (on: pg.Client, action: string) =>
  on.query(`INSERT INTO events (actor_kind, entity, action) VALUES ('system', 'test', $1)`, [
    action,
  ]);

/** A consumer that reads everything available from where it stands, and remembers where. */
function consumer() {
  let position: EventPosition = ORIGIN;
  const seen: string[] = [];
  return {
    seen,
    async poll(prefix: string) {
      for (;;) {
        const page = await readEventsAfter(db, position, { limit: 2 });
        seen.push(...page.events.map((e) => e.action).filter((a) => a.startsWith(prefix)));
        position = page.position;
        if (page.events.length < 2) return;
      }
    },
    /**
     * Polls until `count` events with `prefix` were seen. The bound is the oldest transaction in
     * flight on the whole PostgreSQL cluster, so other work on it may hold a read back a moment.
     */
    async until(prefix: string, count: number) {
      for (let i = 0; i < 100 && this.seen.length < count; i++) {
        await this.poll(prefix);
        if (this.seen.length < count) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

describe('reading events in commit order', () => {
  it('pages through every event once, and resumes from an encoded position', async () => {
    for (let i = 0; i < 5; i++)
      await recordEvent(db, { actor: system, entity: 'test', action: `paged.${i}` });
    const reader = consumer();
    await reader.until('paged.', 5);
    expect(reader.seen).toEqual([0, 1, 2, 3, 4].map((i) => `paged.${i}`));

    const first = await readEventsAfter(db, ORIGIN, { limit: 1000 });
    const paged = first.events.filter((e) => e.action.startsWith('paged.'));
    const resumeFrom = decodePosition(encodePosition(paged[2]!))!;
    const rest = await readEventsAfter(db, resumeFrom, { limit: 1000 });
    expect(rest.events.filter((e) => e.action.startsWith('paged.')).map((e) => e.action)).toEqual([
      'paged.3',
      'paged.4',
    ]);
    expect(decodePosition('1.x')).toBeUndefined();
  });

  it('an event is not read before its transaction commits', async () => {
    const reader = consumer();
    await db.transaction(async (tx) => {
      await recordEvent(tx, { actor: system, entity: 'test', action: 'inside.1' });
      // PGlite is one connection: a read through the transaction sees its own uncommitted row,
      // but the position handed out never passes an open transaction.
      const page = await readEventsAfter(tx, ORIGIN, { limit: 1000 });
      expect(page.events.map((e) => e.action)).not.toContain('inside.1');
    });
    await reader.until('inside.', 1);
    expect(reader.seen).toEqual(['inside.1']);
  });

  const onPostgres = Boolean(process.env.PM_TEST_DATABASE_URL);
  describe.skipIf(!onPostgres)('two overlapping transactions (PostgreSQL)', () => {
    const clients: pg.Client[] = [];
    beforeAll(async () => {
      for (let i = 0; i < 2; i++) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        clients.push(client);
      }
    });
    afterAll(async () => {
      for (const client of clients) await client.end();
    });

    it('the later id commits first: a resuming consumer misses neither', async () => {
      const [early, late] = clients as [pg.Client, pg.Client];
      const reader = consumer();
      await early.query('BEGIN');
      await write(early, 'overlap-a.early'); // the lower id, committed last
      await late.query('BEGIN');
      await write(late, 'overlap-a.late'); // the higher id, committed first
      await late.query('COMMIT');
      await reader.poll('overlap-a.');
      expect(reader.seen).toEqual([]);
      await early.query('COMMIT');
      await reader.until('overlap-a.', 2);
      expect(reader.seen.sort()).toEqual(['overlap-a.early', 'overlap-a.late']);
    });

    it('an older transaction writes its event last and commits first: nothing skipped', async () => {
      const [older, younger] = clients as [pg.Client, pg.Client];
      const reader = consumer();
      await older.query('BEGIN');
      await older.query('SELECT pg_current_xact_id()'); // takes the older transaction id
      await younger.query('BEGIN');
      await write(younger, 'overlap-b.younger'); // the lower id, from the younger transaction
      await write(older, 'overlap-b.older'); // the higher id
      await older.query('COMMIT');
      // The higher id is read (and the position passes the lower one) while the lower is open.
      await reader.until('overlap-b.', 1);
      expect(reader.seen).toEqual(['overlap-b.older']);
      await younger.query('COMMIT');
      await reader.until('overlap-b.', 2);
      expect(reader.seen).toEqual(['overlap-b.older', 'overlap-b.younger']);
    });
  });
});
