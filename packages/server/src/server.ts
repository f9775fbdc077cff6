import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Logger, pino } from 'pino';
import { createApp } from './app.js';
import { type ConfigOverrides, loadConfig, type ServerConfig } from './config.js';
import { migrate } from './db/migrate.js';
import { openDatabase } from './db/open.js';
import type { Database } from './db/types.js';
import { type Clock, systemClock } from './lib/clock.js';
import { CredentialCache } from './modules/access/credential-cache.js';
import { JobWorker } from './modules/jobs/worker.js';
import { leadFollowUps, scheduleFollowUps } from './modules/leads/follow-ups.js';
import { mailDelivery } from './modules/mail/delivery.js';
import { createMailTransport } from './modules/mail/transport.js';
import { maintenanceSweep, scheduleMaintenance } from './modules/maintenance/sweep.js';
import { NotificationService } from './modules/notifications/service.js';
import { longTimerWarnings, scheduleLongTimerWarnings } from './modules/time/long-timers.js';

/** JSON lines for machines; readable lines when a person watches a terminal (PM_LOG_FORMAT). */
async function createLogger(config: ServerConfig): Promise<Logger> {
  const options = { level: config.logLevel, base: { service: 'pmkit' } };
  if (config.logFormat === 'json') return pino(options);
  const { default: pretty } = await import('pino-pretty');
  return pino(
    options,
    pretty({
      sync: true,
      singleLine: true,
      ignore: 'pid,hostname,service',
      translateTime: 'SYS:HH:MM:ss',
    }),
  );
}

async function connectRedis(url: string) {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: false,
  });
  await client.connect();
  return client;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  port?: number;
  host?: string;
  dataDir?: string;
  databaseUrl?: string;
  config?: ConfigOverrides;
  /** An already open and migrated database (tests); the server then does not close it. */
  db?: Database;
  logger?: Logger;
  clock?: Clock;
}

export interface RunningServer {
  url: string;
  port: number;
  db: Database;
  config: ServerConfig;
  logger: Logger;
  /** Stops accepting, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const config = loadConfig(options.env ?? {}, {
    ...options.config,
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host ? { host: options.host } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
  });
  const logger = options.logger ?? (await createLogger(config));
  const ownsDb = !options.db;
  const db = options.db ?? (await openDatabase(config));
  try {
    if (ownsDb) {
      const applied = await migrate(db);
      if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
    }
  } catch (error) {
    if (ownsDb) await db.close();
    throw error;
  }

  const transport = await createMailTransport({
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    logger,
    mailDir: config.mailDir,
  });
  const redis = config.redisUrl ? await connectRedis(config.redisUrl) : undefined;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const clock = options.clock ?? systemClock;
  // Other instances announce revocations on PostgreSQL; hear them before serving.
  const credentials = new CredentialCache(clock, { crossInstance: db.kind === 'postgresql' });
  let stopListening: () => Promise<void>;
  try {
    stopListening = await credentials.listen(db);
    await scheduleMaintenance(db, clock.now());
    await scheduleFollowUps(db, clock.now());
    await scheduleLongTimerWarnings(db, clock.now());
  } catch (error) {
    transport.close();
    redis?.disconnect();
    if (ownsDb) await db.close();
    throw error;
  }
  // Background work, one queue: each kind is a handler here.
  const jobs = new JobWorker(
    db,
    [
      mailDelivery(transport),
      maintenanceSweep({ idempotencyTtlHours: config.idempotencyTtlHours }),
      leadFollowUps({ notifications: new NotificationService(db, clock) }),
      longTimerWarnings(),
    ],
    { clock, logger },
  );
  const shutdown = new AbortController();
  const app = createApp({
    shutdown: shutdown.signal,
    db,
    config,
    clock,
    credentials,
    logger,
    mail: jobs,
    ...(redis ? { rateLimitStore: { kind: 'redis', client: redis } } : {}),
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${config.port}`,
  });
  const handle = app.callback();
  let draining = false;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (draining) {
      // A keep-alive connection may still bring a request while we drain: refuse it cleanly,
      // with the request id every answer carries.
      const requestId = randomUUID();
      res.writeHead(503, {
        'Content-Type': 'application/problem+json',
        Connection: 'close',
        'Retry-After': '5',
        'X-Request-Id': requestId,
      });
      res.end(
        JSON.stringify({
          type: 'https://pmkit.dev/problems/unavailable',
          title: 'Service Unavailable',
          status: 503,
          detail: 'The server is shutting down',
          requestId,
        }),
      );
      return;
    }
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  const stopBackground = async () => {
    await stopListening();
    await jobs.stop();
    transport.close();
    redis?.disconnect();
  };

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await stopBackground();
    if (ownsDb) await db.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(
        `Port ${config.port} on ${config.host} is in use; choose another with --port or PM_PORT`,
      );
    }
    throw error;
  }
  await jobs.start();
  const { port } = server.address() as AddressInfo;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  logger.info(
    { url, database: db.kind, ...(db.kind === 'pglite' ? { dataDir: config.dataDir } : {}) },
    'pmkit server listening',
  );

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      draining = true;
      shutdown.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timeout = setTimeout(
        () => server.closeAllConnections(),
        config.shutdownTimeoutSeconds * 1000,
      );
      await closed;
      clearTimeout(timeout);
      await stopBackground();
      if (ownsDb) await db.close();
      logger.info('pmkit server stopped');
    })();
    return closing;
  };
  return { url, port, db, config, logger, close };
}

/**
 * Starts a server and runs it until SIGTERM or SIGINT, then shuts down gracefully.
 * Resolves once everything is closed.
 */
export async function runServer(options: StartOptions = {}): Promise<void> {
  // Signals are heard from the first moment: one that arrives while the server is still starting
  // (its "listening" line is out before startServer returns) waits for it, then stops it.
  let signalled: NodeJS.Signals | undefined;
  let onSignal = (signal: NodeJS.Signals) => {
    signalled ??= signal;
  };
  const listener = (signal: NodeJS.Signals) => onSignal(signal);
  process.on('SIGTERM', listener);
  process.on('SIGINT', listener);
  try {
    const server = await startServer({ env: process.env, ...options });
    await new Promise<void>((resolve) => {
      let stopping = false;
      // Ctrl-C under `npm start` arrives twice (from the terminal, and forwarded by npm): the
      // handlers stay until the shutdown is done, so the second cannot cut it short (exit 130).
      onSignal = (signal) => {
        if (stopping) return;
        stopping = true;
        server.logger.info({ signal }, 'shutting down');
        void server.close().then(resolve);
      };
      if (signalled) onSignal(signalled);
    });
  } finally {
    process.off('SIGTERM', listener);
    process.off('SIGINT', listener);
  }
}
