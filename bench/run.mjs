// npm run bench: each figure beside its floor, measured in the same run on this machine.
// Ratios hold on a noisy machine; absolute numbers do not. Needs `npm run build` first.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';

const root = fileURLToPath(new URL('..', import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const cliRuns = Number(process.env.BENCH_CLI_RUNS ?? 20);
const rows = [];

function timeCommand(args) {
  spawnSync(process.execPath, args); // warm the file cache
  const started = process.hrtime.bigint();
  for (let i = 0; i < cliRuns; i++) {
    const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
  }
  return Number(process.hrtime.bigint() - started) / 1e6 / cliRuns;
}

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function startProcess(args, env) {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PM_PORT: String(port), FLOOR_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    if (
      await fetch(`${url}/health`).then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.on('exit', resolve);
      child.kill('SIGTERM');
    });
  return { url, stop, pid: child.pid };
}

/** Resident memory of a process now, and its peak so far (Linux /proc), in kB. */
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

const mb = (kb) => `${Math.round(kb / 1024)} MB`;

async function load(url, headers = {}) {
  const result = await autocannon({ url, connections: 10, duration: seconds, headers });
  if (result.non2xx || result.errors)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

async function json(url, init) {
  const response = await fetch(url, init);
  if (!response.ok)
    throw new Error(`${init?.method ?? 'GET'} ${url}: ${response.status} ${await response.text()}`);
  return { body: await response.text(), type: response.headers.get('content-type') };
}

// 1. CLI start-up against bare Node.
const bare = timeCommand(['-e', '']);
for (const args of [['--version'], ['--help']]) {
  const ms = timeCommand([join(root, 'packages/cli/bin/pm.js'), ...args]);
  rows.push([
    `pm ${args.join(' ')}`,
    `${ms.toFixed(1)} ms`,
    `node -e '' ${bare.toFixed(1)} ms`,
    (bare / ms).toFixed(2),
    '-',
    '-',
  ]);
}

// 2. HTTP: pmkit against two floors measured in the same run: the static floor (a bare node:http
// server sending the same bytes) and the work floor (a bare node:http server verifying the token
// and running the one indexed query on the same database, then sending the same JSON).
// BENCH_DATABASE_URL=postgres://…/postgres runs both on PostgreSQL, in a database of their own.
const dataDir = mkdtempSync(join(tmpdir(), 'pmkit-bench-'));
const floorDir = `${dataDir}-floor`;
const adminUrl = process.env.BENCH_DATABASE_URL;
const benchDb = `pmkit_bench_${process.pid}`;
const admin = async (sql) => {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(sql).finally(() => client.end());
};
let databaseUrl;
if (adminUrl) {
  await admin(`CREATE DATABASE ${benchDb}`);
  const url = new URL(adminUrl);
  url.pathname = `/${benchDb}`;
  databaseUrl = url.toString();
}
const pmkitEnv = {
  ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  PM_DATA_DIR: dataDir,
  PM_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
  // The per-caller limit would turn most of a load test into 429s.
  PM_API_RATE_LIMIT: '100000000',
};
const pmkitArgs = [join(root, 'packages/server/bin/pmkit-server.js')];
let pmkit = await startProcess(pmkitArgs, pmkitEnv);
// First start in an empty directory: PGlite's initdb plus every migration.
const firstStart = memory(pmkit.pid);
let floor;
let workFloor;
const footprint = [];
try {
  const session = JSON.parse(
    (
      await json(`${pmkit.url}/v1/auth/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          email: 'bench@example.com',
          password: 'benchmark password',
          name: 'Bench',
        }),
      })
    ).body,
  );
  const auth = { Authorization: `Bearer ${session.accessToken}` };
  for (let i = 0; i < 30; i++) {
    await json(`${pmkit.url}/v1/orgs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...auth },
      body: JSON.stringify({ name: `Bench org ${i}` }),
    });
  }
  const routes = {
    '/health': await json(`${pmkit.url}/health`),
    '/v1/orgs?limit=30': await json(`${pmkit.url}/v1/orgs?limit=30`, { headers: auth }),
  };
  const routesFile = join(dataDir, 'floor-routes.json');
  writeFileSync(routesFile, JSON.stringify({ routes }));
  floor = await startProcess([join(root, 'bench/floor-server.mjs'), routesFile], {});
  if (databaseUrl) {
    workFloor = await startProcess([join(root, 'bench/work-floor-server.mjs')], {
      DATABASE_URL: databaseUrl,
    });
  } else {
    // A PGlite directory belongs to one process: the work floor gets a copy of the same data.
    await pmkit.stop();
    cpSync(dataDir, floorDir, { recursive: true });
    rmSync(join(floorDir, 'postmaster.pid'), { force: true });
    rmSync(join(floorDir, 'pmkit.pid'), { force: true });
    pmkit = await startProcess(pmkitArgs, pmkitEnv);
    workFloor = await startProcess([join(root, 'bench/work-floor-server.mjs')], {
      PGLITE_DIR: floorDir,
    });
  }
  const sameBody = (await json(`${workFloor.url}/v1/orgs?limit=30`, { headers: auth })).body;
  if (sameBody !== routes['/v1/orgs?limit=30'].body)
    throw new Error('the work floor does not answer the same JSON as pmkit');

  // Other work shares the machine: measure in rounds, alternating the servers, and keep each
  // server's best round, so a burst of someone else's load does not decide a ratio.
  const best = async (url, headers) => {
    const result = await load(url, headers);
    return (previous) => (previous && previous.rps >= result.rps ? previous : result);
  };
  for (const [path, headers] of [
    ['/health', {}],
    ['/v1/orgs?limit=30', auth],
  ]) {
    let ours;
    let base;
    let work;
    for (let round = 0; round < rounds; round++) {
      ours = (await best(`${pmkit.url}${path}`, headers))(ours);
      base = (await best(`${floor.url}${path}`))(base);
      if (path !== '/health') work = (await best(`${workFloor.url}${path}`, headers))(work);
    }
    rows.push([
      `GET ${path} (${routes[path].body.length} B)`,
      `${Math.round(ours.rps)} req/s, p99 ${ours.p99} ms`,
      `${Math.round(base.rps)} req/s`,
      (ours.rps / base.rps).toFixed(3),
      work ? `${Math.round(work.rps)} req/s` : '-',
      work ? (ours.rps / work.rps).toFixed(3) : '-',
    ]);
  }
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idle = memory(pmkit.pid);
  footprint.push(
    `pmkit server RSS: first start in an empty ${databaseUrl ? 'database' : 'data dir'} peak ${mb(firstStart.peak)}; ` +
      `after the load above, idle ${mb(idle.rss)} (peak of this process ${mb(idle.peak)})`,
  );
} finally {
  await pmkit.stop();
  await floor?.stop();
  await workFloor?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(floorDir, { recursive: true, force: true });
  if (adminUrl) await admin(`DROP DATABASE IF EXISTS ${benchDb} WITH (FORCE)`);
}

const header = [
  'measure',
  'pmkit',
  'static floor',
  'ratio',
  'work floor',
  'ratio (higher is better)',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(line(header));
for (const row of rows) console.log(line(row));
for (const note of footprint) console.log(`\n${note}`);
console.log(
  `\ndatabase: ${adminUrl ? 'PostgreSQL' : 'PGlite'}; best of ${rounds} rounds of ${seconds} s per HTTP load, 10 connections; ${cliRuns} runs per command; node ${process.version}`,
);
