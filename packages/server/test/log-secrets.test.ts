import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, signUp } from './identity/helpers.js';

const lines: string[] = [];
let server: TestServer;
beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  server = await startTestServer({ logger: pino({ level: 'trace' }, sink) });
});
afterAll(() => server.close());

describe('the server log', () => {
  it('carries no password, hash, token or API key, even when a query fails', async () => {
    const ada = await signUp(server, 'logged');
    const org = await ada.pm.orgs.create({ name: 'Logged', slug: `logged-${process.pid}` });
    const key = await ada.pm.apiKeys.create(org.slug, { name: 'ci', scopes: ['orgs:read'] });
    await server.client({ apiKey: key.secret }).orgs.get(org.slug);
    await server
      .client()
      .auth.login({ email: ada.email, password: 'wrong password!' })
      .catch(() => {});
    const session = await server.client().auth.login({ email: ada.email, password: PASSWORD });
    await server.client().auth.refresh(session.refreshToken);
    await server.client().auth.requestPasswordReset(ada.email);

    // A failing INSERT: PostgreSQL's error detail repeats the whole row, password hash included.
    await server.db.query(
      "ALTER TABLE users ADD CONSTRAINT no_boom CHECK (email NOT LIKE 'boom%')",
    );
    const failed = await fetch(`${server.url}/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'boom@example.com', password: PASSWORD, name: 'Boom' }),
    });
    expect(failed.status).toBe(500);
    await server.db.query('ALTER TABLE users DROP CONSTRAINT no_boom');

    const hashes = await server.db.query<{ secret: string }>(
      `SELECT password_hash AS secret FROM users
       UNION ALL SELECT token_hash FROM refresh_tokens
       UNION ALL SELECT secret_hash FROM api_keys`,
    );
    const secrets = [
      PASSWORD,
      ada.accessToken,
      session.accessToken,
      session.refreshToken,
      key.secret,
      ...hashes.rows.map((r) => r.secret),
    ];
    const log = lines.join('');
    expect(log).toContain('request failed');
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/scrypt\$/);
  });
});

describe('mail without an SMTP server', () => {
  it('goes to a file the log names, never into the log with its token', async () => {
    const mailDir = mkdtempSync(join(tmpdir(), 'pm-mail-'));
    const logged: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logged.push(String(chunk));
        done();
      },
    });
    const plain = await startTestServer({
      config: { smtpUrl: undefined, mailDir },
      logger: pino({ level: 'trace' }, sink),
    });
    try {
      const owner = await signUp(plain, 'mailless');
      const slug = `mailless-${process.pid}`;
      await owner.pm.orgs.create({ name: 'Mailless', slug });
      await owner.pm.invitations.create(slug, { email: 'grace@example.com', role: 'admin' });
      let token: string | undefined;
      for (let i = 0; i < 100 && !token; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        for (const file of readdirSync(mailDir)) {
          token ??= /pmi_[\w-]+/.exec(readFileSync(join(mailDir, file), 'utf8'))?.[0];
        }
      }
      expect(token).toBeDefined();
      const log = logged.join('');
      expect(log).toContain(mailDir);
      expect(log).not.toContain(token!);
    } finally {
      await plain.close();
      rmSync(mailDir, { recursive: true, force: true });
    }
  });
});
