// node bench/lead-import.mjs [rows]: a CSV lead import through the API (streamed by the SDK),
// in rows per second, beside `psql \copy` of the same file into a plain table (the floor).
// PGlite always; PostgreSQL too when BENCH_DATABASE_URL names a server where this role may
// CREATE DATABASE. Needs `npm run build` first. Prints the process's peak RSS as well (server and
// client share it). BENCH_DRY=1: a dry run (parse, validate, look up duplicates, write nothing), to
// tell parsing from writing; BENCH_SKIP_PGLITE=1: PostgreSQL only.
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createClient } from '../packages/sdk/dist/index.js';
import { startServer } from '../packages/server/dist/index.js';

const count = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'pm-bench-import-'));
const file = join(dir, 'leads.csv');
const lines = ['First Name,Last Name,Email,Phone Number,Company Name,Lead Source'];
for (let i = 0; i < count; i++) {
  lines.push(
    `Ada${i},Lovelace,ada${i}@example.com,+4420794${String(i % 100000).padStart(5, '0')},Company ${i % 977},web`,
  );
}
writeFileSync(file, `${lines.join('\n')}\n`);

async function importRun(label, startOptions) {
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    ...startOptions,
    config: { passwordHashCost: 10, uploadLimit: '2gb', ...startOptions.config },
    logger: undefined,
    env: { PM_LOG_LEVEL: 'warn' },
  });
  try {
    const pm = createClient({ baseUrl: server.url, retry: false });
    await pm.auth.register({
      email: 'bench@example.com',
      password: 'a long enough password',
      name: 'B',
    });
    const org = await pm.orgs.create({ name: 'Bench' });
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 50);
    const started = process.hrtime.bigint();
    const result = await pm.leads.import(
      org.id,
      () => createReadStream(file),
      process.env.BENCH_DRY ? { dryRun: true, onDuplicate: 'create' } : {},
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);
    if (result.created !== count) throw new Error(`created ${result.created} of ${count}`);
    console.log(
      `${label.padEnd(32)} ${String(Math.round(count / seconds)).padStart(8)} rows/s  (${seconds.toFixed(2)} s, peak RSS ${Math.round(peak / 2 ** 20)} MB, client in-process)`,
    );
  } finally {
    await server.close();
  }
}

if (!process.env.BENCH_SKIP_PGLITE)
  await importRun(`import ${count} rows, PGlite`, { dataDir: join(dir, 'pglite') });

const url = process.env.BENCH_DATABASE_URL;
if (url) {
  const database = `pm_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${database}`;
  try {
    await importRun(`import ${count} rows, PostgreSQL`, { databaseUrl: dbUrl.toString() });
    const psql = (sql) =>
      spawnSync('psql', [dbUrl.toString(), '-v', 'ON_ERROR_STOP=1', '-c', sql], {
        encoding: 'utf8',
      });
    psql(
      'CREATE TABLE copy_floor (first text, last text, email text, phone text, company text, source text)',
    );
    const started = process.hrtime.bigint();
    const copied = psql(`\\copy copy_floor FROM '${file}' CSV HEADER`);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (copied.status !== 0) throw new Error(copied.stderr);
    console.log(
      `${`psql \\copy ${count} rows (floor)`.padEnd(32)} ${String(Math.round(count / seconds)).padStart(8)} rows/s  (${seconds.toFixed(2)} s)`,
    );
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}
rmSync(dir, { recursive: true, force: true });
