// The timer's work floor: the least any server must do for `POST /v1/timer/start` and
// `POST /v1/timer/stop` with the same answers. It verifies the access token (jose), then sends the
// one statement pmkit sends for each (the change, its event, the rate and the names shown) and
// serialises the row. No router, validation, membership check, idempotency or logging. Usage: DATABASE_URL=… or PGLITE_DIR=… node timer-floor-server.mjs
import { createServer } from 'node:http';
import { jwtVerify } from 'jose';

const pglite = !process.env.DATABASE_URL;
let query;
if (pglite) {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite({ dataDir: process.env.PGLITE_DIR });
  await db.waitReady;
  query = async (sql, params) => (await db.query(sql, params)).rows;
} else {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  query = async (sql, params) => (await pool.query(sql, params)).rows;
}

const [setting] = await query(`SELECT value FROM settings WHERE key = 'jwt_secret'`);
const key = await crypto.subtle.importKey(
  'raw',
  Buffer.from(setting.value, 'base64url'),
  { name: 'HMAC', hash: 'SHA-256' },
  false,
  ['verify'],
);

// The same statements pmkit sends (modules/time/timer-store.ts): the change, its event, the
// rate, and the names the answer shows, in one statement each.
const SHOW = (source) => `
  SELECT e.org_id, e.id, e.user_id, u.name AS user_name, e.project_id, p.key AS project_key,
         p.name AS project_name, e.task_id, tp.key || '-' || t.number AS task_key, t.title AS task_title,
         e.note, e.tags, e.billable, e.started_at, e.ended_at, e.segments, e.running_since,
         e.duration_seconds, e.rate::text AS rate, e.currency, e.rate_source, e.amount::text AS amount,
         e.version, e.created_at, e.updated_at, COALESCE(s.long_timer_minutes, 600) AS long_timer_minutes
    FROM ${source} e JOIN users u ON u.id = e.user_id
    LEFT JOIN projects p ON p.org_id = e.org_id AND p.id = e.project_id
    LEFT JOIN tasks t ON t.org_id = e.org_id AND t.id = e.task_id
    LEFT JOIN projects tp ON tp.org_id = t.org_id AND tp.id = t.project_id
    LEFT JOIN time_settings s ON s.org_id = e.org_id`;

const START = `WITH target AS (
    SELECT t.org_id, t.project_id, t.id AS task_id FROM tasks t
      JOIN projects p ON p.org_id = t.org_id AND p.id = t.project_id
     WHERE t.org_id = $2 AND p.key = $3 AND t.number = $4 AND t.deleted_at IS NULL
       AND p.deleted_at IS NULL AND p.archived_at IS NULL),
  timer AS (
    INSERT INTO time_entries (org_id, user_id, project_id, task_id, started_at, running_since,
                              created_by, created_at, updated_at)
    SELECT org_id, $1, project_id, task_id, $5, $5, $1, $5, $5 FROM target
    ON CONFLICT (user_id) WHERE ended_at IS NULL AND deleted_at IS NULL DO NOTHING
    RETURNING *),
  event AS (
    INSERT INTO events (org_id, actor_kind, actor_id, entity, entity_id, action, changes)
    SELECT org_id, 'user', $1, 'timer', id, 'started',
           jsonb_build_object('projectId', project_id, 'taskId', task_id, 'at', started_at) FROM timer)
  ${SHOW('timer')}`;

const STOP = `WITH cur AS (
    SELECT e.org_id, e.id, e.user_id, e.project_id, e.running_since, e.duration_seconds,
           e.segments, e.started_at, e.billable
      FROM time_entries e
     WHERE e.user_id = $1 AND e.ended_at IS NULL AND e.deleted_at IS NULL AND e.org_id = $3
     FOR UPDATE),
  rate AS (
    SELECT r.rate, r.currency, r.source FROM cur CROSS JOIN LATERAL (
      SELECT pr.rate, pr.currency, CASE WHEN pr.user_id IS NULL THEN 'project' ELSE 'member' END AS source,
             CASE WHEN pr.user_id IS NULL THEN 2 ELSE 1 END AS rank
        FROM project_rates pr
       WHERE pr.org_id = cur.org_id AND pr.project_id = cur.project_id
         AND (pr.user_id = cur.user_id OR pr.user_id IS NULL)
      UNION ALL
      SELECT s.default_rate, s.default_currency, 'org', 3
        FROM time_settings s WHERE s.org_id = cur.org_id AND s.default_rate IS NOT NULL
      ORDER BY rank LIMIT 1) r),
  entry AS (
    UPDATE time_entries e SET ended_at = $2, running_since = NULL,
      duration_seconds = cur.duration_seconds + floor(extract(epoch FROM $2 - cur.running_since))::int,
      segments = cur.segments || jsonb_build_array(jsonb_build_object('start', cur.running_since, 'end', $2::timestamptz)),
      rate = rate.rate, currency = rate.currency, rate_source = rate.source,
      amount = CASE WHEN cur.billable AND rate.rate IS NOT NULL THEN round(rate.rate *
        (cur.duration_seconds + floor(extract(epoch FROM $2 - cur.running_since))::int) / 3600.0, 2) END,
      version = e.version + 1, updated_at = $2
      FROM cur LEFT JOIN rate ON true
     WHERE e.org_id = cur.org_id AND e.id = cur.id
    RETURNING e.*),
  event AS (
    INSERT INTO events (org_id, actor_kind, actor_id, entity, entity_id, action, changes)
    SELECT org_id, 'user', $1, 'time_entry', id, 'created',
           jsonb_build_object('from', 'timer', 'durationSeconds', duration_seconds, 'endedAt', ended_at) FROM entry)
  ${SHOW('entry')}`;

async function verify(req) {
  const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  try {
    const { payload } = await jwtVerify(bearer ?? '', key, {
      algorithms: ['HS256'],
      issuer: 'pmkit',
    });
    return payload.sub;
  } catch {
    return undefined;
  }
}

function send(res, status, body) {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
}

const server = createServer(async (req, res) => {
  try {
    if (req.url === '/health') return send(res, 200, '{"status":"ok"}');
    const userId = await verify(req);
    if (!userId) return send(res, 401, '{"status":401}');
    const body = await readJson(req);
    const now = new Date();
    if (req.method === 'POST' && req.url === '/v1/timer/start') {
      const [projectKey, number] = String(body.task).split('-');
      const [row] = await query(START, [
        userId,
        req.headers['pm-org'],
        projectKey,
        Number(number),
        now,
      ]);
      if (!row) return send(res, 409, '{"status":409}');
      return send(res, 201, JSON.stringify({ timer: shown(row, now), stopped: null }));
    }
    if (req.method === 'POST' && req.url === '/v1/timer/stop') {
      const [row] = await query(STOP, [userId, now, req.headers['pm-org']]);
      if (!row) return send(res, 404, '{"status":404}');
      return send(res, 200, JSON.stringify(shown(row, now)));
    }
    send(res, 404, '{"status":404}');
  } catch (error) {
    send(res, 500, JSON.stringify({ detail: String(error) }));
  }
});
const iso = (value) => (value === null ? null : new Date(value).toISOString());
const money = (amount, currency) => (amount === null ? null : { amount, currency });
// The fields pmkit's answers carry (a timer's and an entry's, merged: the floor serialises both).
const shown = (row, now) => ({
  id: row.id,
  orgId: row.org_id,
  user: { id: row.user_id, name: row.user_name },
  project: row.project_id
    ? { id: row.project_id, key: row.project_key, name: row.project_name }
    : null,
  task: row.task_id ? { id: row.task_id, key: row.task_key, title: row.task_title } : null,
  note: row.note,
  tags: row.tags,
  billable: row.billable,
  startedAt: iso(row.started_at),
  endedAt: iso(row.ended_at),
  durationSeconds: row.duration_seconds,
  elapsedSeconds:
    row.duration_seconds +
    (row.running_since ? Math.floor((now - new Date(row.running_since)) / 1000) : 0),
  segments: row.segments.map((s) => ({ start: iso(s.start), end: iso(s.end) })),
  hourlyRate: money(row.rate, row.currency),
  amount: money(row.amount, row.currency),
  rateSource: row.rate_source,
  version: row.version,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
  overLimit: now - new Date(row.started_at) > row.long_timer_minutes * 60_000,
});
server.listen(Number(process.env.FLOOR_PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
