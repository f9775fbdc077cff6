import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

export interface RateLimitSettings {
  /** Log-in attempts per IP per window. */
  loginPerIp: number;
  /** Failed log-ins per account per window, then 429 until the window ends. */
  loginFailuresPerAccount: number;
  loginWindowSeconds: number;
  /** Registrations per IP per hour. */
  registerPerIp: number;
  /** Reset requests per IP per hour, and per account per hour. */
  resetPerIp: number;
  resetPerAccount: number;
  /** Requests per minute per signed-in user or API key. */
  apiPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  loginPerIp: 100,
  loginFailuresPerAccount: 10,
  loginWindowSeconds: 15 * 60,
  registerPerIp: 30,
  resetPerIp: 20,
  resetPerAccount: 5,
  apiPerMinute: 1200,
};

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const EnvSchema = z.object({
  PM_PORT: z.coerce.number().int().min(0).max(65535).default(4680),
  PM_HOST: z.string().min(1).default('127.0.0.1'),
  PM_DATA_DIR: z.string().min(1).optional(),
  DATABASE_URL: z.string().url().optional(),
  PM_API_RATE_LIMIT: z.coerce.number().int().positive().optional(),
  PM_LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  PM_ACCESS_LOG: z.enum(['0', '1', 'true', 'false']).optional(),
  PM_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  PM_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'a size such as 1mb or 512kb')
    .default('1mb'),
  PM_UPLOAD_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb|gb)$/i, 'a size such as 200mb or 2gb')
    .default('1gb'),
  PM_REGISTRATION: z.enum(['open', 'invite', 'closed']).default('open'),
  PM_JWT_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  PM_ACCESS_TOKEN_TTL: seconds(15 * 60),
  PM_REFRESH_TOKEN_TTL: seconds(30 * 24 * 60 * 60),
  PM_SHUTDOWN_TIMEOUT: seconds(15),
  PM_PASSWORD_HASH_COST: z.coerce.number().int().min(10).max(20).default(16),
  PM_PUBLIC_URL: z.string().url().optional(),
  PM_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL')
    .optional(),
  PM_MAIL_DIR: z.string().min(1).optional(),
  PM_MAIL_FROM: z.string().min(3).default('pmkit <pmkit@localhost>'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
    .optional(),
  XDG_DATA_HOME: z.string().optional(),
});

export interface ServerConfig {
  port: number;
  host: string;
  /** PGlite's directory; unused when databaseUrl is set. */
  dataDir: string;
  databaseUrl: string | undefined;
  logLevel: z.infer<typeof EnvSchema>['PM_LOG_LEVEL'];
  /** `pretty` for a person at a terminal, `json` lines otherwise. */
  logFormat: 'json' | 'pretty';
  /** One `info` line per request (PM_ACCESS_LOG); otherwise they are `debug`. */
  accessLog: boolean;
  bodyLimit: string;
  /** Largest streamed body (CSV imports, uploads) unless its operation sets a lower one. */
  uploadLimit: string;
  registration: 'open' | 'invite' | 'closed';
  jwtSecret: string | undefined;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  shutdownTimeoutSeconds: number;
  /** log2 of scrypt's N. */
  passwordHashCost: number;
  idempotencyTtlHours: number;
  /** How long a running request's Idempotency-Key claim outlives its last heartbeat. */
  idempotencyLeaseSeconds: number;
  /** Where links in mail point; the server's own URL when unset. */
  publicUrl: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Where mail is written as files when there is no SMTP server. */
  mailDir: string;
  redisUrl: string | undefined;
  rateLimits: RateLimitSettings;
}

/** Settings given in code (tests, embedding): each wins over the environment. */
export type ConfigOverrides = Partial<Omit<ServerConfig, 'rateLimits'>> & {
  rateLimits?: Partial<RateLimitSettings>;
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The only reader of the environment: every other module gets its settings from here. */
export function loadConfig(env: NodeJS.ProcessEnv, overrides: ConfigOverrides = {}): ServerConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataHome = e.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  const dataDir = overrides.dataDir ?? e.PM_DATA_DIR ?? join(dataHome, 'pmkit');
  return {
    port: e.PM_PORT,
    host: e.PM_HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.PM_LOG_LEVEL,
    logFormat: e.PM_LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json'),
    accessLog: e.PM_ACCESS_LOG === '1' || e.PM_ACCESS_LOG === 'true',
    bodyLimit: e.PM_BODY_LIMIT,
    uploadLimit: e.PM_UPLOAD_LIMIT,
    registration: e.PM_REGISTRATION,
    jwtSecret: e.PM_JWT_SECRET,
    accessTokenTtlSeconds: e.PM_ACCESS_TOKEN_TTL,
    refreshTokenTtlSeconds: e.PM_REFRESH_TOKEN_TTL,
    shutdownTimeoutSeconds: e.PM_SHUTDOWN_TIMEOUT,
    passwordHashCost: e.PM_PASSWORD_HASH_COST,
    idempotencyTtlHours: 24,
    idempotencyLeaseSeconds: 30,
    publicUrl: e.PM_PUBLIC_URL,
    smtpUrl: e.PM_SMTP_URL,
    mailFrom: e.PM_MAIL_FROM,
    mailDir: e.PM_MAIL_DIR ?? join(dataDir, 'mail'),
    redisUrl: e.REDIS_URL,
    ...overrides,
    rateLimits: {
      ...DEFAULT_RATE_LIMITS,
      ...(e.PM_API_RATE_LIMIT ? { apiPerMinute: e.PM_API_RATE_LIMIT } : {}),
      ...overrides.rateLimits,
    },
  };
}
