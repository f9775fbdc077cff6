// The work floor: the least any server must do for the same responses as pmkit. It verifies the
// access token (jose, key imported once), runs the one indexed query on the same database, and
// sends the same JSON; nothing else (no router, no validation, no session check, no logging).
// Usage: DATABASE_URL=… or PGLITE_DIR=… node work-floor-server.mjs
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
const HEALTH = JSON.stringify({ status: 'ok' });
const LIST = `SELECT o.id, o.slug, o.name, m.role, o.created_at,
    to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS joined_at
  FROM org_members m JOIN orgs o ON o.id = m.org_id AND o.deleted_at IS NULL
  WHERE m.user_id = $1 ORDER BY m.created_at, o.id LIMIT $2`;

// The task page: the same single query pmkit runs (status, project key and assignees in it).
const TASKS = `SELECT t.number AS _k0, t.id, t.project_id, p.key AS project_key, t.number, t.title,
  t.description, t.status_id, s.name AS status_name, s.category AS status_category, t.priority,
  t.labels, t.estimate_minutes, t.start_date::text AS start_date, t.due_date::text AS due_date,
  t.parent_id, t.position, t.milestone_id, t.fields, t.version, t.created_by, t.created_at, t.updated_at, t.completed_at,
  t.deleted_at,
  COALESCE((SELECT array_agg(a.user_id::text ORDER BY a.user_id) FROM task_assignees a
    WHERE a.org_id = t.org_id AND a.task_id = t.id), '{}'::text[]) AS assignee_ids
  FROM tasks t
  JOIN projects p ON p.org_id = t.org_id AND p.id = t.project_id
  JOIN project_statuses s ON s.org_id = t.org_id AND s.id = t.status_id
  WHERE t.org_id = (SELECT m.org_id FROM projects pm JOIN org_members m
      ON m.org_id = pm.org_id AND m.user_id = $2 WHERE pm.id = $1)
    AND t.project_id = $1 AND t.deleted_at IS NULL AND p.deleted_at IS NULL
  ORDER BY t.number DESC LIMIT $3`;
const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'];
const iso = (value) => (value === null ? null : new Date(value).toISOString());

async function listTasks(req, res, projectId, limit) {
  const userId = await verify(req);
  if (!userId) return send(res, 401, JSON.stringify({ status: 401, detail: 'Invalid token' }));
  const rows = await query(TASKS, [projectId, userId, limit + 1]);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  send(
    res,
    200,
    JSON.stringify({
      items: page.map((row) => ({
        id: row.id,
        key: `${row.project_key}-${row.number}`,
        number: row.number,
        projectId: row.project_id,
        title: row.title,
        description: row.description,
        status: { id: row.status_id, name: row.status_name, category: row.status_category },
        priority: PRIORITIES[row.priority],
        assigneeIds: row.assignee_ids,
        labels: row.labels,
        estimateMinutes: row.estimate_minutes,
        startDate: row.start_date,
        dueDate: row.due_date,
        parentId: row.parent_id,
        position: row.position,
        milestoneId: row.milestone_id,
        fields: row.fields,
        version: row.version,
        createdBy: row.created_by,
        createdAt: iso(row.created_at),
        updatedAt: iso(row.updated_at),
        completedAt: iso(row.completed_at),
        deletedAt: iso(row.deleted_at),
      })),
      nextCursor:
        rows.length > limit && last
          ? Buffer.from(JSON.stringify(['-created', Number(last._k0)])).toString('base64url')
          : null,
    }),
  );
}

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

async function listOrgs(req, res, limit) {
  const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  let userId;
  try {
    const { payload } = await jwtVerify(bearer ?? '', key, {
      algorithms: ['HS256'],
      issuer: 'pmkit',
    });
    userId = payload.sub;
  } catch {
    return send(res, 401, JSON.stringify({ status: 401, detail: 'Invalid token' }));
  }
  const rows = await query(LIST, [userId, limit + 1]);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  send(
    res,
    200,
    JSON.stringify({
      items: page.map((row) => ({
        id: row.id,
        slug: row.slug,
        name: row.name,
        role: row.role,
        createdAt: new Date(row.created_at).toISOString(),
      })),
      nextCursor:
        rows.length > limit && last
          ? Buffer.from(JSON.stringify([last.joined_at, last.id])).toString('base64url')
          : null,
    }),
  );
}

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://floor');
  if (url.pathname === '/health') return send(res, 200, HEALTH);
  const tasks = /^\/v1\/projects\/([0-9a-f-]{36})\/tasks$/.exec(url.pathname);
  if (tasks) {
    const limit = Number(url.searchParams.get('limit') ?? 50);
    listTasks(req, res, tasks[1], limit).catch(() => send(res, 500, '{}'));
    return;
  }
  if (url.pathname === '/v1/orgs') {
    const limit = Number(url.searchParams.get('limit') ?? 50);
    listOrgs(req, res, limit).catch(() => send(res, 500, '{}'));
    return;
  }
  res.writeHead(404).end();
});
server.listen(Number(process.env.FLOOR_PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
