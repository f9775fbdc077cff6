import type { Database } from '@pmkit/server';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, failure, signUp } from '../identity/helpers.js';

let server: TestServer;
let owner: Account;
let org: string;
// After this many batch commits, every query fails as if the server had died (null: never).
let dieAfterBatches: number | null = null;
let batchesCommitted = 0;

function crashable(db: Database): Database {
  const guard = (sql: string) => {
    if (dieAfterBatches !== null && batchesCommitted >= dieAfterBatches) {
      throw new Error('the server died');
    }
    if (/^\s*UPDATE lead_imports SET last_row/.test(sql)) batchesCommitted++;
  };
  const wrap = (q: Database | Parameters<Parameters<Database['transaction']>[0]>[0]) => ({
    ...q,
    query: async (sql: string, params?: unknown[]) => {
      guard(sql);
      return q.query(sql, params as never);
    },
    exec: (sql: string) => q.exec(sql),
  });
  return {
    ...db,
    query: async (sql: string, params?: unknown[]) => {
      guard(sql);
      return db.query(sql, params as never);
    },
    exec: (sql: string) => db.exec(sql),
    transaction: (work) => db.transaction((tx) => work(wrap(tx) as never)),
    close: () => db.close(),
  } as Database;
}

beforeAll(async () => {
  server = await startTestServer({
    wrapDatabase: crashable,
    config: { idempotencyLeaseSeconds: 0.2, uploadLimit: '200kb' },
  });
  owner = await signUp(server, 'importer');
  org = (await owner.pm.orgs.create({ name: 'Import Org' })).id;
});
afterAll(() => server.close());

const count = async (orgId: string) =>
  Number(
    (
      await server.db.query<{ n: string }>(
        'SELECT count(*) AS n FROM leads WHERE org_id = $1 AND deleted_at IS NULL',
        [orgId],
      )
    ).rows[0]!.n,
  );

async function text(stream: ReadableStream<Uint8Array>) {
  return new Response(stream).text();
}

describe('a messy export', () => {
  const messy = [
    '\uFEFFFirst Name,Last Name,E-mail,Phone Number,Company Name,Lead Source,Notes',
    'Ada,Lovelace,ada@example.com,+44 20 7946 0000,"Analytical, Ltd",referral,"line one',
    'line two"',
    '',
    'Grace,Hopper,GRACE@example.com,,Navy,web,',
    'Grace,Again,grace@EXAMPLE.com,,Navy,web,duplicate in the file',
    'Bad,Mail,not-an-email,,,web,',
    'Short,Row,short@example.com',
    'Long,Row,long@example.com,,,,,extra',
    'Zoë,Ångström,zoe@example.com,,Société Générale,,',
    ',,,,,,',
  ].join('\r\n');

  it('imports with exactly the expected counts and explains each refused row', async () => {
    const result = await owner.pm.leads.import(org, messy);
    expect(result).toMatchObject({
      status: 'completed',
      dryRun: false,
      rowsSeen: 7,
      created: 3,
      updated: 0,
      skipped: 1,
      failed: 3,
      ignoredColumns: [],
    });
    expect(result.errors).toEqual([
      { row: 4, column: 'E-mail', message: 'is not an e-mail address' },
      { row: 5, column: null, message: 'has 3 fields; the header has 7' },
      { row: 6, column: null, message: 'has 8 fields; the header has 7' },
    ]);
    const leads = await owner.pm.leads.list(org, { sort: 'name' }).toArray();
    expect(leads.map((l) => [l.name, l.email, l.company, l.source])).toEqual([
      ['Ada Lovelace', 'ada@example.com', 'Analytical, Ltd', 'referral'],
      ['Grace Hopper', 'GRACE@example.com', 'Navy', 'web'],
      ['Zoë Ångström', 'zoe@example.com', 'Société Générale', null],
    ]);
    expect(leads[0]!.notes).toBe('line one\r\nline two');
    expect((await owner.pm.leads.imports.get(org, result.id!)).failed).toBe(3);

    // The errors file: the rows as they were, plus an error column; fixed, it imports cleanly.
    const errors = await text(await owner.pm.leads.imports.errorsCsv(org, result.id!));
    expect(errors.trimEnd().split('\n')).toEqual([
      'First Name,Last Name,E-mail,Phone Number,Company Name,Lead Source,Notes,error',
      'Bad,Mail,not-an-email,,,web,,E-mail: is not an e-mail address',
      'Short,Row,short@example.com,,,,,has 3 fields; the header has 7',
      'Long,Row,long@example.com,,,,,extra,has 8 fields; the header has 7',
    ]);
    const fixed = [
      'First Name,Last Name,E-mail,Phone Number,Company Name,Lead Source,Notes',
      'Bad,Mail,bad@example.com,,,web,',
      'Short,Row,short@example.com,,,,',
      'Long,Row,long@example.com,,,,',
    ].join('\n');
    const again = await owner.pm.leads.import(org, fixed);
    expect(again).toMatchObject({ created: 3, failed: 0, skipped: 0 });
  });

  it('again with skip creates nothing; with update it updates each lead once', async () => {
    const before = await count(org);
    const skip = await owner.pm.leads.import(org, messy, { onDuplicate: 'skip' });
    expect(skip).toMatchObject({ created: 0, updated: 0, skipped: 4, failed: 3 });
    const update = await owner.pm.leads.import(org, messy, { onDuplicate: 'update' });
    expect(update).toMatchObject({ created: 0, updated: 3, skipped: 1, failed: 3 });
    expect(await count(org)).toBe(before);
    const create = await owner.pm.leads.import(org, messy, { onDuplicate: 'create' });
    expect(create).toMatchObject({ created: 4, updated: 0, skipped: 0, failed: 3 });
  });

  it('a dry run counts and explains, and writes nothing', async () => {
    const dryOrg = (await owner.pm.orgs.create({ name: 'Dry Org' })).id;
    const result = await owner.pm.leads.import(dryOrg, messy, { dryRun: true });
    expect(result).toMatchObject({
      id: null,
      dryRun: true,
      rowsSeen: 7,
      created: 3,
      skipped: 1,
      failed: 3,
    });
    expect(result.errors).toHaveLength(3);
    expect(await count(dryOrg)).toBe(0);
    const { rows } = await server.db.query('SELECT 1 FROM lead_imports WHERE org_id = $1', [
      dryOrg,
    ]);
    expect(rows).toEqual([]);
  });
});

describe('encodings, delimiters and mapping', () => {
  it('decodes a Windows-1252 file with semicolons', async () => {
    const encOrg = (await owner.pm.orgs.create({ name: 'Enc Org' })).id;
    const file = iconv.encode(
      'Nom;Courriel;Société\nFrançois Hé;fh@example.com;Crème SA\n',
      'windows-1252',
    );
    const result = await owner.pm.leads.import(encOrg, new Uint8Array(file));
    expect(result).toMatchObject({ created: 1, failed: 0 });
    const [lead] = await owner.pm.leads.list(encOrg).toArray();
    expect(lead).toMatchObject({
      name: 'François Hé',
      email: 'fh@example.com',
      company: 'Crème SA',
    });
  });

  it('reads tabs, an explicit map into custom fields, and phone dedupe with a region', async () => {
    const mapOrg = (await owner.pm.orgs.create({ name: 'Map Org' })).id;
    const file =
      'Who\tTel\tBudget\tColour\nJean\t06 12 34 56 78\t450000\tblue\nJeanne\t+33612345678\t1\tred\n';
    const result = await owner.pm.leads.import(mapOrg, file, {
      map: 'Who=name,Tel=phone,Budget=custom.budget',
      dedupe: 'phone',
      region: 'FR',
    });
    expect(result).toMatchObject({ created: 1, skipped: 1, ignoredColumns: ['Colour'] });
    const [lead] = await owner.pm.leads.list(mapOrg).toArray();
    expect(lead).toMatchObject({ name: 'Jean', customFields: { budget: '450000' } });
    const bad = await failure(owner.pm.leads.import(mapOrg, file, { map: 'Who=nonsense' }));
    expect(bad.status).toBe(400);
    expect(bad.errors[0]!.path).toBe('/query/map');
  });
});

describe('bad files: a clear error and nothing written', () => {
  let badOrg: string;
  beforeAll(async () => {
    badOrg = (await owner.pm.orgs.create({ name: 'Bad Org' })).id;
  });
  const cases: [string, string | Uint8Array, number][] = [
    ['an empty file', '', 400],
    ['blank lines only', '\n\n', 400],
    ['headers only', 'Name,Email\n', 400],
    ['a binary file', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x14, 0, 0x0a]), 400],
    ['no name column', 'Email\na@example.com\n', 400],
  ];
  for (const [what, file, status] of cases) {
    it(`${what}: ${status}`, async () => {
      const error = await failure(owner.pm.leads.import(badOrg, file));
      expect(error.status, error.detail).toBe(status);
      expect(await count(badOrg)).toBe(0);
    });
  }

  it('an unclosed quote after a whole batch was written: 400, and the batch is gone', async () => {
    const rows = Array.from({ length: 1500 }, (_, i) => `Lead ${i},l${i}@example.com`);
    const file = `Name,Email\n${rows.join('\n')}\n"Unclosed,x@example.com\n`;
    const error = await failure(owner.pm.leads.import(badOrg, file));
    expect(error.status).toBe(400);
    expect(error.detail).toMatch(/quoted field is never closed/);
    expect(await count(badOrg)).toBe(0);
  });

  it('over the size limit while streaming: 413, and nothing stays', async () => {
    const rows = Array.from({ length: 9000 }, (_, i) => `Lead ${i},l${i}@example.com`);
    async function* chunks() {
      yield 'Name,Email\n';
      for (let i = 0; i < rows.length; i += 500) yield `${rows.slice(i, i + 500).join('\n')}\n`;
    }
    const error = await failure(owner.pm.leads.import(badOrg, chunks()));
    expect(error.status).toBe(413);
    expect(await count(badOrg)).toBe(0);
  });

  it('the wrong content type: 415', async () => {
    const res = await server.fetch(`${server.url}/v1/orgs/${badOrg}/lead-imports`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${owner.accessToken}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(415);
  });
});

describe('crash safety', () => {
  it('a rerun under the same key after the server died mid-import ends with each lead once', async () => {
    const crashOrg = (await owner.pm.orgs.create({ name: 'Crash Org' })).id;
    const rows = Array.from({ length: 3500 }, (_, i) => `Lead ${i},lead${i}@example.com`);
    const file = `Name,Email\n${rows.join('\n')}\n`;
    batchesCommitted = 0;
    dieAfterBatches = 2;
    // The dying server answers 500 (which the contract check refuses): either way, it failed.
    await expect(
      owner.pm.leads.import(crashOrg, file, { idempotencyKey: 'nightly-1', retries: 0 }),
    ).rejects.toThrow();
    dieAfterBatches = null;
    expect(await count(crashOrg)).toBe(2000);
    // The dead attempt's claim lapses (no heartbeat); the same key then resumes the import.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const result = await owner.pm.leads.import(crashOrg, file, { idempotencyKey: 'nightly-1' });
    expect(result).toMatchObject({ status: 'completed', rowsSeen: 3500, created: 3500, failed: 0 });
    expect(await count(crashOrg)).toBe(3500);
    const { rows: distinct } = await server.db.query<{ n: string }>(
      'SELECT count(DISTINCT email_norm) AS n FROM leads WHERE org_id = $1',
      [crashOrg],
    );
    expect(Number(distinct[0]!.n)).toBe(3500);
    // And once more: the recorded answer, nothing imported again.
    const replay = await owner.pm.leads.import(crashOrg, file, { idempotencyKey: 'nightly-1' });
    expect(replay).toEqual(result);
    expect(await count(crashOrg)).toBe(3500);
  });
});
