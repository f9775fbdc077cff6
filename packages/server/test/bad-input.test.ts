import { contractValidator } from '@pmkit/server';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Every operation of the contract, signed in, fed odd path values and odd bodies: whatever the
 * answer, it is never a 5xx. (The harness also checks each answer against the contract.)
 */
const operations = contractValidator().operations.filter((op) => op.path.startsWith('/v1/'));
const ODD_PATH_VALUES = [
  'me',
  'x',
  'ü-ñ',
  '00000000-0000-0000-0000-000000000000',
  'a'.repeat(64),
  '%00',
  "'; DROP TABLE users; --",
];
const ODD_BODIES = [
  '{}',
  '[]',
  '"text"',
  '{"name": null}',
  '{"email": "a@b.c", "password": 12345678901}',
  '{"role": "god"}',
];

let server: TestServer;
let token: string;
beforeAll(async () => {
  server = await startTestServer();
  const session = await server
    .client()
    .auth.register({ email: 'fuzz@example.com', password: 'fuzzing password', name: 'Fuzz' });
  token = session.accessToken;
  await server.client({ token }).orgs.create({ name: 'Fuzz Org', slug: 'x' });
});
afterAll(() => server.close());

describe('odd input never reaches a 5xx', () => {
  for (const op of operations) {
    it(`${op.method.toUpperCase()} ${op.path}`, async () => {
      for (const value of ODD_PATH_VALUES) {
        const path = op.path.replace(/\{\w+\}/g, encodeURIComponent(value));
        for (const body of op.bodyContentTypes.length ? ODD_BODIES : [undefined]) {
          const res = await server.fetch(`${server.url}${path}`, {
            method: op.method.toUpperCase(),
            headers: {
              Authorization: `Bearer ${token}`,
              ...(body ? { 'Content-Type': 'application/json' } : {}),
            },
            ...(body ? { body } : {}),
          });
          expect(res.status, `${path} ${body ?? ''}: ${await res.text()}`).toBeLessThan(500);
        }
      }
    });
  }
});
