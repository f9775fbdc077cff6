// npm run bench: each figure beside its floor, measured in the same run on this machine.
// Ratios hold on a noisy machine; absolute numbers do not. Needs `npm run build` first.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { memory, startProcess, timeCommand as timeCommandRuns } from './processes.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const cliRuns = Number(process.env.BENCH_CLI_RUNS ?? 20);
const rows = [];

const timeCommand = (args) => timeCommandRuns(args, cliRuns);

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
  const ms = timeCommand([join(root, 'packages/cli/bin/pm.cjs'), ...args]);
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
  let org;
  for (let i = 0; i < 30; i++) {
    org = await json(`${pmkit.url}/v1/orgs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...auth },
      body: JSON.stringify({ name: `Bench org ${i}` }),
    });
  }
  // A project of 10,000 tasks, created through the API; creates at the start and at the end
  // of it are timed, since a create must not slow down as the project grows.
  org = JSON.parse(org.body);
  const project = JSON.parse(
    (
      await json(`${pmkit.url}/v1/orgs/${org.id}/projects`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...auth },
        body: JSON.stringify({ key: 'BENCH', name: 'Bench project' }),
      })
    ).body,
  );
  const createTasks = async (count) => {
    const started = process.hrtime.bigint();
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const i = next++;
        await json(`${pmkit.url}/v1/projects/${project.id}/tasks`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...auth },
          body: JSON.stringify({
            title: `Task ${i} of the benchmark`,
            priority: ['none', 'low', 'medium', 'high', 'urgent'][i % 5],
            labels: i % 3 === 0 ? ['bug'] : ['feature'],
            estimateMinutes: 30 + (i % 7) * 15,
          }),
        });
      }
    };
    await Promise.all(Array.from({ length: 10 }, worker));
    return count / (Number(process.hrtime.bigint() - started) / 1e9);
  };
  const createEmpty = await createTasks(500);
  await createTasks(9000);
  const createFull = await createTasks(500);
  footprint.push(
    `task create, 10 concurrent: ${Math.round(createEmpty)} tasks/s into an empty project, ` +
      `${Math.round(createFull)} tasks/s into one of 9,500 (ratio ${(createFull / createEmpty).toFixed(2)})`,
  );
  const taskPage = `/v1/projects/${project.id}/tasks?limit=50`;
  const routes = {
    '/health': await json(`${pmkit.url}/health`),
    '/v1/orgs?limit=30': await json(`${pmkit.url}/v1/orgs?limit=30`, { headers: auth }),
    [taskPage]: await json(`${pmkit.url}${taskPage}`, { headers: auth }),
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
  for (const path of ['/v1/orgs?limit=30', taskPage]) {
    const sameBody = (await json(`${workFloor.url}${path}`, { headers: auth })).body;
    if (sameBody !== routes[path].body)
      throw new Error(`the work floor does not answer the same JSON as pmkit for ${path}`);
  }

  // Other work shares the machine: measure in rounds, alternating the servers, and keep each
  // server's best round, so a burst of someone else's load does not decide a ratio.
  const best = async (url, headers) => {
    const result = await load(url, headers);
    return (previous) => (previous && previous.rps >= result.rps ? previous : result);
  };
  for (const [path, headers] of [
    ['/health', {}],
    ['/v1/orgs?limit=30', auth],
    [taskPage, auth],
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
      `GET ${path === taskPage ? '/v1/projects/{id}/tasks?limit=50 of 10,000' : path} (${routes[path].body.length} B)`,
      `${Math.round(ours.rps)} req/s, p99 ${ours.p99} ms`,
      `${Math.round(base.rps)} req/s`,
      (ours.rps / base.rps).toFixed(3),
      work ? `${Math.round(work.rps)} req/s` : '-',
      work ? (ours.rps / work.rps).toFixed(3) : '-',
    ]);
  }
  // `pm task list --json` against a bare Node script making the same one request.
  const cliEnv = { PM_SERVER: pmkit.url, PM_TOKEN: session.accessToken, PM_ORG: org.id };
  Object.assign(process.env, cliEnv);
  const script = `const r = await fetch(${JSON.stringify(`${pmkit.url}${taskPage}`)}, { headers: { Authorization: ${JSON.stringify(auth.Authorization)} } }); process.stdout.write(await r.text());`;
  const bareRequest = timeCommand(['--input-type=module', '-e', script]);
  const cliList = timeCommand([
    join(root, 'packages/cli/bin/pm.cjs'),
    'task',
    'list',
    '--json',
    '--project',
    'BENCH',
    '--limit',
    '50',
  ]);
  for (const name of Object.keys(cliEnv)) delete process.env[name];
  rows.push([
    'pm task list --json (50 tasks)',
    `${cliList.toFixed(1)} ms`,
    `bare request ${bareRequest.toFixed(1)} ms`,
    (bareRequest / cliList).toFixed(2),
    '-',
    '-',
  ]);
  if (databaseUrl)
    footprint.push(await filteredPage(databaseUrl, org.id, project.id, pmkit.url, auth));

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

/**
 * PostgreSQL only: the project grown to 100,000 tasks (rows written directly, as a restore would),
 * then the p99 of one caller paging a filtered list, and the plan PostgreSQL picks for it.
 */
async function filteredPage(url, orgId, projectId, base, auth) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `WITH seq AS (UPDATE projects SET task_seq = task_seq + 90000 WHERE id = $2 RETURNING task_seq)
       INSERT INTO tasks (org_id, project_id, number, title, description, status_id, priority, labels,
         estimate_minutes, position)
       SELECT $1, $2, seq.task_seq - 90000 + g, 'Imported task ' || g, 'Row ' || g || ' of the load',
         (SELECT id FROM project_statuses WHERE project_id = $2 ORDER BY position OFFSET (g % 4) LIMIT 1),
         g % 5, CASE WHEN g % 47 = 0 THEN ARRAY['bug'] ELSE ARRAY['chore'] END, 30, 'z' || lpad(g::text, 8, '0')
       FROM seq, generate_series(1, 90000) AS g`,
      [orgId, projectId],
    );
    await client.query('ANALYZE tasks');
    const path = `/v1/projects/${projectId}/tasks?label=bug&priority=urgent&limit=50`;
    const { rows } = await client.query(
      `EXPLAIN SELECT t.id FROM tasks t
       JOIN project_statuses s ON s.org_id = t.org_id AND s.id = t.status_id
       WHERE t.org_id = $1 AND t.project_id = $2 AND t.deleted_at IS NULL
         AND t.labels @> ARRAY['bug'] AND t.priority = 4::smallint
       ORDER BY t.number DESC LIMIT 51`,
      [orgId, projectId],
    );
    const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
    const indexes = [...new Set(plan.match(/\b(tasks_\w+_idx)\b/g) ?? [])];
    const result = await autocannon({
      url: `${base}${path}`,
      connections: 1,
      duration: seconds,
      headers: auth,
    });
    if (result.non2xx || result.errors) throw new Error(`${path}: ${result.non2xx} non-2xx`);
    return (
      `filtered page (label=bug, priority=urgent) of 50 from 100,000 tasks, one caller: ` +
      `p99 ${result.latency.p99} ms, ${Math.round(result.requests.average)} req/s; ` +
      `plan uses ${indexes.length ? indexes.join(', ') : 'NO index (sequential scan)'}`
    );
  } finally {
    await client.end();
  }
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
