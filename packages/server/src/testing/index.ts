import { type ClientOptions, createClient, type PmClient } from '@pmkit/sdk';
import { type Logger, pino } from 'pino';
import { inject } from 'vitest';
import type { ConfigOverrides } from '../config.js';
import { openPostgres } from '../db/postgres.js';
import type { Database } from '../db/types.js';
import type { Clock } from '../lib/clock.js';
import { startServer } from '../server.js';
import { contractCheckingFetch } from './contract-check.js';
import { openTestDatabase } from './databases.js';
import { SmtpSink } from './smtp-sink.js';

export type { ReceivedMail, SmtpSink } from './smtp-sink.js';

const TEST_RATE_LIMITS = { loginPerIp: 100_000, registerPerIp: 100_000, resetPerIp: 100_000 };

export { ContractViolation, checkResponse, contractCheckingFetch } from './contract-check.js';

export interface TestServer {
  url: string;
  db: Database;
  /** On PostgreSQL, the test database's connection string (for a second instance on it). */
  databaseUrl: string | undefined;
  /** fetch that fails on any response the contract does not describe. */
  fetch: typeof fetch;
  /** The mail this server sent, received by a real SMTP server on loopback. */
  mail: SmtpSink;
  /** An SDK client for this server whose responses are checked against the contract. */
  client(options?: Partial<ClientOptions>): PmClient;
  close(): Promise<void>;
}

export interface TestServerOptions {
  config?: ConfigOverrides;
  clock?: Clock;
  logger?: Logger;
  /** Join this PostgreSQL database (another test server's) instead of a fresh copy. */
  databaseUrl?: string;
  /** Wraps the database the server uses, for instance to count its queries. */
  wrapDatabase?: (db: Database) => Database;
}

/**
 * A real server on an ephemeral loopback port over its own copy of the run's migrated database.
 * Set PM_TEST_LOG=debug to see its logs.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { db, url, drop } = options.databaseUrl
    ? {
        db: openPostgres(options.databaseUrl, { max: 5 }),
        url: options.databaseUrl,
        drop: async () => {},
      }
    : await openTestDatabase(inject('pmTestDatabase'));
  const mail = await SmtpSink.start();
  const server = await startServer({
    db: options.wrapDatabase ? options.wrapDatabase(db) : db,
    port: 0,
    host: '127.0.0.1',
    config: {
      passwordHashCost: 10,
      shutdownTimeoutSeconds: 2,
      smtpUrl: mail.url,
      ...options.config,
      // The whole suite signs up from 127.0.0.1: per-IP limits would trip; tests of limits set theirs.
      rateLimits: { ...TEST_RATE_LIMITS, ...options.config?.rateLimits },
    },
    logger: options.logger ?? pino({ level: process.env.PM_TEST_LOG ?? 'silent' }),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const checkedFetch = contractCheckingFetch();
  return {
    url: server.url,
    db,
    databaseUrl: url,
    fetch: checkedFetch,
    mail,
    client: (clientOptions) =>
      createClient({ baseUrl: server.url, fetch: checkedFetch, retry: false, ...clientOptions }),
    async close() {
      await server.close();
      await mail.close();
      if (options.databaseUrl) await db.close();
      await drop();
    },
  };
}
export { assertFreshBuild } from './built.js';

/** A clock tests move forward (`clock.offsetMs = 25 * HOUR`) to expire what the server keeps. */
export function movableClock(): Clock & { offsetMs: number } {
  const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };
  return clock;
}
