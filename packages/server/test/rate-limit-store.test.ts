import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Context } from 'koa';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_RATE_LIMITS, type RateLimitStore, RateLimits } from '../src/http/rate-limit.js';
import { openTestDatabase } from '../src/testing/databases.js';

const headers: Record<string, string> = {};
const ctx = { set: (name: string, value: string) => (headers[name] = value) } as unknown as Context;
const settings = { ...DEFAULT_RATE_LIMITS, apiPerMinute: 3 };

/** Two instances on one store: the fourth request, made on the other instance, is refused. */
async function limitsHoldAcrossInstances(a: RateLimitStore, b: RateLimitStore) {
  const first = new RateLimits(a, settings);
  const second = new RateLimits(b, settings);
  const key = `user:${randomUUID()}`;
  await first.consume('api', key, ctx);
  await second.consume('api', key, ctx);
  await first.consume('api', key, ctx);
  const refused = await second.consume('api', key, ctx).catch((error: unknown) => error);
  expect(refused).toMatchObject({ status: 429 });
  expect(
    Number((refused as { headers: Record<string, string> }).headers['Retry-After']),
  ).toBeGreaterThan(0);
  expect(headers['RateLimit-Remaining']).toBe('0');
}

describe('rate limits shared between instances', () => {
  it('hold across instances on the database', async () => {
    const { db, drop } = await openTestDatabase(inject('pmTestDatabase'));
    try {
      await limitsHoldAcrossInstances({ kind: 'database', db }, { kind: 'database', db });
    } finally {
      await drop();
    }
  });

  const redisUrl = process.env.PM_TEST_REDIS_URL;
  const clients: Redis[] = [];
  afterAll(() => {
    for (const client of clients) client.disconnect();
  });
  it.skipIf(!redisUrl)(
    'hold across instances on Redis (set PM_TEST_REDIS_URL to run)',
    async () => {
      for (let i = 0; i < 2; i++) clients.push(new Redis(redisUrl!, { maxRetriesPerRequest: 1 }));
      await limitsHoldAcrossInstances(
        { kind: 'redis', client: clients[0]! },
        { kind: 'redis', client: clients[1]! },
      );
    },
  );

  it('are per instance in memory (the single-process PGlite default)', async () => {
    const one = new RateLimits({ kind: 'memory' }, settings);
    const other = new RateLimits({ kind: 'memory' }, settings);
    const key = `user:${randomUUID()}`;
    for (let i = 0; i < 3; i++) await one.consume('api', key, ctx);
    await expect(one.consume('api', key, ctx)).rejects.toMatchObject({ status: 429 });
    await other.consume('api', key, ctx);
  });
});
