// node bench/time-report.mjs: the time report's CSV of 100,000 entries and PDF of 10,000 entries,
// each beside the same export at a tenth of the size, on PostgreSQL (BENCH_DATABASE_URL names a
// server where this role may CREATE DATABASE). Each export runs on a fresh server process, so its
// peak RSS (VmHWM) is that export's; flat memory shows as the same peak at ten times the entries.
// Wall time is from the request to the last byte read. Needs `npm run build` first.
// BENCH_ENTRIES=100000 sets the large CSV (the PDF takes a tenth of it); BENCH_KEEP=1 keeps the
// database (its URL is printed) to look at plans afterwards; BENCH_ONLY=csv|pdf|json runs one kind.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = fileURLToPath(new URL('..', import.meta.url));
const adminUrl = process.env.BENCH_DATABASE_URL;
if (!adminUrl) {
  console.error('Set BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres');
  process.exit(2);
}
const large = Number(process.env.BENCH_ENTRIES ?? 100_000);
const sizes = [large, large / 10, large / 100];
const PERIOD = 'from=2026-11-01&to=2026-11-30&tz=Europe/Berlin';
const env = {
  PM_LOG_LEVEL: 'warn',
  PM_API_RATE_LIMIT: '100000000',
  PM_PASSWORD_HASH_COST: '10',
  PM_JWT_SECRET: 'a bench secret that is long enough for the server',
};

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function startServer(databaseUrl) {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'packages/server/bin/pmkit-server.js')], {
    env: { ...process.env, ...env, DATABASE_URL: databaseUrl, PM_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    const up = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.on('exit', resolve);
      child.kill('SIGTERM');
    });
  return { url, pid: child.pid, stop };
}

/** Resident memory of a process now and its peak so far (Linux /proc), in MB. */
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: mb('VmRSS'), peak: mb('VmHWM') };
}

async function call(url, path, init = {}) {
  const response = await fetch(`${url}${path}`, init);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response;
}

const post = (url, path, body, token) =>
  call(url, path, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  }).then((r) => r.json());

const PEOPLE = ['Ada Lovelace', '王小明', 'Дмитрий Шостакович', 'Zoë Ångström', 'Grace Hopper'];

/** An organization per size: five people, three projects with labelled tasks, `count` entries. */
async function seed(url, databaseUrl) {
  const accounts = [];
  for (const [i, name] of PEOPLE.entries()) {
    const session = await post(url, '/v1/auth/register', {
      email: `bench${i}@example.com`,
      password: 'benchmark password',
      name,
    });
    accounts.push(session);
  }
  const token = accounts[0].accessToken;
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const orgs = {};
  try {
    for (const count of sizes) {
      const org = await post(url, '/v1/orgs', { name: `Bench ${count} entries` }, token);
      orgs[count] = org.id;
      await db.query(
        `INSERT INTO org_members (org_id, user_id, role) SELECT $1, unnest($2::uuid[]), 'member'`,
        [org.id, accounts.slice(1).map((a) => a.user.id)],
      );
      for (const [key, name, client] of [
        ['WEB', 'Website relaunch', 'Acme GmbH'],
        ['API', 'Public API', 'Acme GmbH'],
        ['OPS', 'Operations', null],
      ]) {
        const project = await post(
          url,
          `/v1/orgs/${org.id}/projects`,
          { key, name, ...(client ? { clientName: client } : {}) },
          token,
        );
        for (let t = 0; t < 5; t++) {
          await post(
            url,
            `/v1/projects/${project.id}/tasks`,
            { title: `Task ${t} of ${name}`, labels: t % 2 ? ['design', 'frontend'] : ['backend'] },
            token,
          );
        }
      }
      // Entries spread over November, 15 to 120 minutes, two thirds billable, some notes long.
      const spacing = Math.floor((29 * 86_400) / count);
      await db.query(
        `WITH people AS (SELECT array_agg(user_id ORDER BY user_id) AS ids FROM org_members WHERE org_id = $1),
              work AS (SELECT array_agg(id ORDER BY id) AS ids, array_agg(project_id ORDER BY id) AS projects
                         FROM tasks WHERE org_id = $1)
         INSERT INTO time_entries (org_id, user_id, project_id, task_id, note, tags, billable,
                                   started_at, ended_at, duration_seconds, rate, currency, rate_source, amount)
         SELECT $1, people.ids[1 + g % 5], work.projects[1 + g % 15], work.ids[1 + g % 15],
                CASE WHEN g % 7 = 0 THEN 'Call with the client about the next release, notes in the ticket'
                     ELSE 'Entry ' || g END,
                CASE WHEN g % 4 = 0 THEN ARRAY['meeting'] ELSE '{}' END,
                g % 3 <> 0,
                timestamptz '2026-11-01 00:00:00+00' + make_interval(secs => g * $3),
                timestamptz '2026-11-01 00:00:00+00' + make_interval(secs => g * $3 + d),
                d, 90.00, 'EUR', 'org', round(d * 90.00 / 3600, 2)
           FROM people, work, generate_series(1, $2::integer) AS g,
                LATERAL (SELECT (15 + g % 106) * 60 AS d) AS duration`,
        [org.id, count, spacing],
      );
    }
    await db.query('ANALYZE');
  } finally {
    await db.end();
  }
  return { token, orgs };
}

/**
 * An export on a fresh server, `times` times over: wall time to the last byte (of the first),
 * bytes, and the server's peak RSS over all of them.
 */
async function measure(databaseUrl, token, orgId, query, times = 1) {
  const server = await startServer(databaseUrl);
  try {
    // One small request first, so the peak is the export's and not start-up's alone.
    await call(server.url, `/v1/orgs/${orgId}`, { headers: { Authorization: `Bearer ${token}` } });
    const before = memory(server.pid);
    let first;
    for (let i = 0; i < times; i++) {
      const started = process.hrtime.bigint();
      const response = await call(server.url, `/v1/orgs/${orgId}/reports/time?${PERIOD}&${query}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      let bytes = 0;
      for await (const chunk of response.body) bytes += chunk.length;
      first ??= { ms: Number(process.hrtime.bigint() - started) / 1e6, bytes };
    }
    return { ...first, idle: before.rss, peak: memory(server.pid).peak };
  } finally {
    await server.stop();
  }
}

const database = `pm_bench_report_${process.pid}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${database}`);
const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/${database}`;
const databaseUrl = dbUrl.toString();
const rows = [];
try {
  const setup = await startServer(databaseUrl);
  let seeded;
  try {
    seeded = await seed(setup.url, databaseUrl);
  } finally {
    await setup.stop();
  }
  // The last of each kind runs the large export five times on one server: a peak that does not
  // grow with five times the entries is memory that stays flat (V8 collects lazily, up to a point).
  const runs = [
    ['CSV', sizes[0], 'format=csv', 1],
    ['CSV', sizes[1], 'format=csv', 1],
    ['CSV', sizes[0], 'format=csv', 5],
    ['PDF', sizes[1], 'format=pdf&groupBy=project,user', 1],
    ['PDF', sizes[2], 'format=pdf&groupBy=project,user', 1],
    ['PDF', sizes[1], 'format=pdf&groupBy=project,user', 5],
    ['JSON', sizes[0], 'groupBy=project,user', 1],
    ['JSON', sizes[1], 'groupBy=project,user', 1],
  ];
  const only = process.env.BENCH_ONLY?.toUpperCase();
  for (const [format, count, query, times] of runs.filter(([f]) => !only || only === f)) {
    const result = await measure(databaseUrl, seeded.token, seeded.orgs[count], query, times);
    rows.push([
      `${format} of ${count.toLocaleString('en')} entries${times > 1 ? `, ${times} times` : ''}`,
      `${(result.ms / 1000).toFixed(2)} s`,
      `${(result.bytes / 2 ** 20).toFixed(1)} MB`,
      `${Math.round(result.peak)} MB`,
      `${Math.round(result.idle)} MB`,
    ]);
  }
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept ${databaseUrl}`);
  else await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
}

const header = ['export', 'time', 'size', 'server peak RSS', 'server RSS before'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(line(header));
for (const row of rows) console.log(line(row));
console.log(
  `\nPostgreSQL; a fresh server process per export (peak = its VmHWM); aim: CSV of 100,000 under 1 s, PDF of 10,000 under 3 s; node ${process.version}`,
);
