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
  if (url.pathname === '/v1/orgs') {
    const limit = Number(url.searchParams.get('limit') ?? 50);
    listOrgs(req, res, limit).catch(() => send(res, 500, '{}'));
    return;
  }
  res.writeHead(404).end();
});
server.listen(Number(process.env.FLOOR_PORT ?? 0), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
