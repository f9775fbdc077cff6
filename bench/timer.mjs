// node bench/timer.mjs: the timer, beside its floors in the same run (after `npm run build`).
// - HTTP: start/stop pairs per second, 10 people at once, pmkit beside the timer's work floor
//   (bench/timer-floor-server.mjs: one statement per call), and exactly one timer running per
//   person at the end.
// - CLI: `pm timer start` and `pm timer stop` beside a bare Node script making the same request;
//   `pm timer status --short` beside `node -e ''`.
// PGlite by default; BENCH_DATABASE_URL=postgres://…/postgres runs on PostgreSQL.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startProcess, timeCommand } from './processes.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const cliRuns = Number(process.env.BENCH_CLI_RUNS ?? 20);
const people = 10;
const adminUrl = process.env.BENCH_DATABASE_URL;
const benchDb = `pmkit_timer_bench_${process.pid}`;
const admin = async (sql) => {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(sql).finally(() => client.end());
};

async function call(url, path, token, org, body) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'PM-Org': org,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

/** Start/stop pairs per second: each person starts and stops in a loop for `seconds`. */
async function pairsPerSecond(url, accounts, org) {
  const deadline = Date.now() + seconds * 1000;
  let pairs = 0;
  await Promise.all(
    accounts.map(async ({ token }) => {
      while (Date.now() < deadline) {
        await call(url, '/v1/timer/start', token, org, { task: 'BENCH-1' });
        await call(url, '/v1/timer/stop', token, org, {});
        pairs++;
      }
    }),
  );
  return pairs / seconds;
}

const dataDir = mkdtempSync(join(tmpdir(), 'pmkit-timer-bench-'));
const floorDir = `${dataDir}-floor`;
let databaseUrl;
if (adminUrl) {
  await admin(`CREATE DATABASE ${benchDb}`);
  const url = new URL(adminUrl);
  url.pathname = `/${benchDb}`;
  databaseUrl = url.toString();
}
const env = {
  ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  PM_DATA_DIR: dataDir,
  PM_LOG_LEVEL: 'warn',
  PM_API_RATE_LIMIT: '100000000',
};
const serverArgs = [join(root, 'packages/server/bin/pmkit-server.js')];
let pmkit = await startProcess(serverArgs, env);
let floor;
const rows = [];
try {
  const register = async (i) => {
    const response = await fetch(`${pmkit.url}/v1/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        email: `timer${i}@example.com`,
        password: 'benchmark password',
        name: `P${i}`,
      }),
    });
    return { token: (await response.json()).accessToken };
  };
  const owner = await register(0);
  const org = await fetch(`${pmkit.url}/v1/orgs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${owner.token}` },
    body: JSON.stringify({ name: 'Timer bench' }),
  }).then((r) => r.json());
  const post = (path, body) =>
    fetch(`${pmkit.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${owner.token}` },
      body: JSON.stringify(body),
    }).then((r) => r.json());
  const project = await post(`/v1/orgs/${org.id}/projects`, { key: 'BENCH', name: 'Bench' });
  await post(`/v1/projects/${project.id}/tasks`, { title: 'Timed task' });
  // Everyone else joins as a Member, straight into the table (invitations need mail).
  const accounts = [owner];
  const userIds = [];
  for (let i = 1; i < people; i++) {
    const account = await register(i);
    accounts.push(account);
    const me = await fetch(`${pmkit.url}/v1/me`, {
      headers: { Authorization: `Bearer ${account.token}` },
    }).then((r) => r.json());
    userIds.push(me.id);
  }
  const addMembers = async (q) => {
    for (const id of userIds) {
      await q(`INSERT INTO org_members (org_id, user_id, role) VALUES ($1, $2, 'member')`, [
        org.id,
        id,
      ]);
    }
  };
  if (databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await addMembers((sql, params) => client.query(sql, params));
    await client.end();
    floor = await startProcess([join(root, 'bench/timer-floor-server.mjs')], {
      DATABASE_URL: databaseUrl,
    });
  } else {
    await pmkit.stop();
    const { PGlite } = await import('@electric-sql/pglite');
    const db = new PGlite({ dataDir });
    await addMembers((sql, params) => db.query(sql, params));
    await db.close();
    cpSync(dataDir, floorDir, { recursive: true });
    for (const file of ['postmaster.pid', 'pmkit.pid'])
      rmSync(join(floorDir, file), { force: true });
    pmkit = await startProcess(serverArgs, env);
    floor = await startProcess([join(root, 'bench/timer-floor-server.mjs')], {
      PGLITE_DIR: floorDir,
    });
  }

  // Alternate the servers over rounds and keep each one's best, as bench/run.mjs does.
  let ours = 0;
  let work = 0;
  for (let round = 0; round < 3; round++) {
    ours = Math.max(ours, await pairsPerSecond(pmkit.url, accounts, org.id));
    work = Math.max(work, await pairsPerSecond(floor.url, accounts, org.id));
  }
  // Then 50 concurrent starts for one person: exactly one runs.
  const results = await Promise.allSettled(
    Array.from({ length: 50 }, () =>
      call(pmkit.url, '/v1/timer/start', owner.token, org.id, { task: 'BENCH-1' }),
    ),
  );
  const started = results.filter((r) => r.status === 'fulfilled').length;
  rows.push([
    `timer start + stop, ${people} people at once`,
    `${Math.round(ours)} pairs/s`,
    `${Math.round(work)} pairs/s`,
    (ours / work).toFixed(2),
  ]);
  rows.push([
    '50 concurrent starts for one person',
    `${started} running`,
    '1 running',
    started === 1 ? 'ok' : 'FAIL',
  ]);
  await call(pmkit.url, '/v1/timer/stop', owner.token, org.id, {});

  // The command line: the CLI beside a bare Node script making the same one request.
  const cliEnv = {
    ...process.env,
    PM_SERVER: pmkit.url,
    PM_TOKEN: owner.token,
    PM_ORG: org.id,
    PM_CONFIG_DIR: dataDir,
  };
  const pm = join(root, 'packages/cli/bin/pm.cjs');
  const bare = (path, body) =>
    `const r = await fetch(${JSON.stringify(`${pmkit.url}${path}`)}, { method: 'POST', headers: { Authorization: ${JSON.stringify(`Bearer ${owner.token}`)}, 'PM-Org': ${JSON.stringify(org.id)}, 'Content-Type': 'application/json' }, body: ${JSON.stringify(JSON.stringify(body))} }); if (!r.ok) process.exit(1); process.stdout.write(await r.text());`;
  // Each run starts and stops, so every start finds no timer running.
  const pair = (startArgs, stopArgs) => {
    let start = 0;
    let stop = 0;
    for (let i = -1; i < cliRuns; i++) {
      const startMs = timeCommand(startArgs, 1, cliEnv, { warm: false });
      const stopMs = timeCommand(stopArgs, 1, cliEnv, { warm: false });
      // The first pair only warms the file cache.
      if (i >= 0) [start, stop] = [start + startMs, stop + stopMs];
    }
    return [start / cliRuns, stop / cliRuns];
  };
  const [cliStart, cliStop] = pair([pm, 'timer', 'start', 'BENCH-1'], [pm, 'timer', 'stop']);
  const [bareStart, bareStop] = pair(
    ['--input-type=module', '-e', bare('/v1/timer/start', { task: 'BENCH-1' })],
    ['--input-type=module', '-e', bare('/v1/timer/stop', {})],
  );
  rows.push([
    'pm timer start BENCH-1',
    `${cliStart.toFixed(1)} ms`,
    `bare request ${bareStart.toFixed(1)} ms`,
    (cliStart / bareStart).toFixed(2),
  ]);
  rows.push([
    'pm timer stop',
    `${cliStop.toFixed(1)} ms`,
    `bare request ${bareStop.toFixed(1)} ms`,
    (cliStop / bareStop).toFixed(2),
  ]);
  const empty = timeCommand(['-e', ''], cliRuns, cliEnv);
  const short = timeCommand([pm, 'timer', 'status', '--short'], cliRuns, cliEnv);
  rows.push([
    'pm timer status --short',
    `${short.toFixed(1)} ms`,
    `node -e '' ${empty.toFixed(1)} ms`,
    (short / empty).toFixed(2),
  ]);
} finally {
  await pmkit.stop();
  await floor?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(floorDir, { recursive: true, force: true });
  if (adminUrl) await admin(`DROP DATABASE IF EXISTS ${benchDb} WITH (FORCE)`);
}

const header = ['measure', 'pmkit', 'floor', 'ratio'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(line(header));
for (const row of rows) console.log(line(row));
console.log(
  `\nHTTP ratio: pmkit / work floor (higher is better; aim ≥ 0.8). CLI ratios: pmkit / floor (lower is better; aim ≤ 1.3, --short ≤ 1.1).\ndatabase: ${adminUrl ? 'PostgreSQL' : 'PGlite'}; best of 3 rounds of ${seconds} s; ${cliRuns} runs per command; node ${process.version}`,
);
