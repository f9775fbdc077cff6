import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from './identity/helpers.js';
import {
  bodyErrors,
  bodySchema,
  ODD_PATTERNED,
  type Operation,
  oddValues,
  operations,
  type Schema,
  sample,
  setAt,
} from './support/contract.js';

/**
 * Every operation of the contract, signed in with a session of its own (logout and a password
 * change cannot spoil the next operation), fed odd input that gets past the schema to the handler:
 * schema-valid bodies carrying odd values generated from the operation's schema, odd path segments
 * sent raw (a real `%00`, not `%2500`), odd query strings, wrong content types. Whatever the answer,
 * it is never a 5xx, and the contract-checking fetch fails on any answer the contract does not
 * document.
 */
const v1 = operations.filter((op) => op.path.startsWith('/v1/'));

// Sent raw in the URL: each is one path segment as the server receives it.
const ODD_SEGMENTS = [
  '%00',
  '%00abc',
  'a%00',
  '%FF%FE',
  '%C0%AF',
  '%2F',
  '%2e%2e%00',
  '%20',
  'me',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  'a'.repeat(2000),
  '%F0%9F%98%80',
  "'%3B%20DROP%20TABLE%20users%3B--",
  ...ODD_PATTERNED,
];
const ODD_QUERY_VALUES = [
  ...['%00', '', '%FF', '-1', '1e999', 'NaN', '9'.repeat(400), 'x'.repeat(600)],
  ...ODD_PATTERNED,
];
const WRONG_CONTENT_TYPES: [string | undefined, string][] = [
  ['text/plain', '{}'],
  ['application/x-www-form-urlencoded', 'a=1'],
  ['multipart/form-data; boundary=x', '--x--'],
  ['application/json; charset=utf-16', '{}'],
  ['application/jsonx', '{}'],
  ['application/json', '{"unterminated": '],
  ['application/json', '\u0000'],
  [undefined, '{}'],
];

/**
 * Gives an odd value's optional parent objects their sample first: an odd `hourlyRate.amount`
 * goes into a whole `hourlyRate` (with its currency), so only the odd value is on trial.
 */
function fillParents(target: Record<string, unknown>, schema: Schema, path: (string | number)[]) {
  let node: Record<string | number, unknown> = target;
  let at: Schema | undefined = schema;
  for (const key of path.slice(0, -1)) {
    at =
      typeof key === 'number'
        ? (at?.items as Schema)
        : (at?.properties as Record<string, Schema>)?.[key];
    if (at && Array.isArray(at.oneOf)) at = (at.oneOf as Schema[])[0];
    if (node[key] === undefined) {
      const filled = sample(at);
      if (typeof filled !== 'object' || filled === null) return;
      node[key] = filled;
    }
    node = node[key] as Record<string | number, unknown>;
    if (typeof node !== 'object' || node === null) return;
  }
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

interface Me {
  token: string;
  ids: Record<string, string>;
}

/**
 * A person of their own with an organization, for one operation's cases; for task operations the
 * organization has a task too, so lookups by key run over rows (a query over none proves little).
 */
async function freshSession(op: Operation): Promise<Me> {
  const name = op.operation.operationId;
  const person = await signUp(server, `fuzz-${name}`);
  const org = await person.pm.orgs.create({ name: `Fuzz ${name}` });
  if (op.operation.tags?.includes('tasks')) {
    const pm = server.client({ token: person.accessToken, org: org.id });
    await pm.projects.create(org.id, { key: 'WEB', name: 'Fuzz' });
    await pm.tasks.create('WEB', { title: 'A task to find' });
  }
  return { token: person.accessToken, ids: { org: org.id, user: person.userId } };
}

function realPath(op: Operation, me: Me, odd?: { name: string; raw: string }): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    name === odd?.name ? odd.raw : encodeURIComponent(me.ids[name] ?? randomUUID()),
  );
}

async function send(
  op: Operation,
  me: Me,
  url: string,
  body?: { type: string | undefined; text: string },
) {
  const res = await server.fetch(`${server.url}${url}`, {
    method: op.method.toUpperCase(),
    headers: {
      Authorization: `Bearer ${me.token}`,
      // Keys (`WEB-42`) and operations without `{org}` resolve in this organization.
      ...(op.parameters.some((p) => p.name === 'PM-Org') ? { 'PM-Org': me.ids.org } : {}),
      ...(body?.type ? { 'Content-Type': body.type } : {}),
    },
    ...(body ? { body: body.text } : {}),
  });
  const text = await res.text();
  expect(res.status, `${op.method.toUpperCase()} ${url.slice(0, 200)}: ${text}`).toBeLessThan(500);
  return res.status;
}

const json = (value: unknown) => ({ type: 'application/json', text: JSON.stringify(value) });

describe('odd input reaches the handlers and never a 5xx', () => {
  for (const op of v1) {
    const id = op.operation.operationId;
    const schema = bodySchema(op);
    it(`${id} (${op.method.toUpperCase()} ${op.path})`, async () => {
      const me = await freshSession(op);
      const base = schema ? sample(schema) : undefined;
      const body = base === undefined ? undefined : json(base);
      if (base !== undefined) expect(bodyErrors(op, base), 'the sample').toEqual([]);

      for (const name of op.path.match(/\{(\w+)\}/g)?.map((p) => p.slice(1, -1)) ?? []) {
        for (const raw of ODD_SEGMENTS) await send(op, me, realPath(op, me, { name, raw }), body);
      }

      for (const p of op.parameters.filter((x) => x.in === 'query')) {
        for (const value of ODD_QUERY_VALUES) {
          await send(op, me, `${realPath(op, me)}?${p.name}=${value}`, body);
        }
        await send(op, me, `${realPath(op, me)}?${p.name}=1&${p.name}=2`, body);
      }
      await send(op, me, `${realPath(op, me)}?%00=%00&&=&a[b]=c&__proto__=x`, body);

      if (schema) {
        let reached = 0;
        for (const odd of oddValues(schema)) {
          const value = structuredClone(base) as Record<string, unknown>;
          if (odd.path.length === 0) continue;
          fillParents(value, schema, odd.path);
          setAt(value, odd.path, odd.value);
          const errors = bodyErrors(op, value);
          // NUL bytes and lone surrogates are refused by the validator on purpose (a 400).
          const unstorable = /\\u0000|\\ud[89a-f]/.test(JSON.stringify(odd.value));
          if (!unstorable) {
            expect(
              errors,
              `${odd.path.join('.')} = ${JSON.stringify(odd.value).slice(0, 80)}`,
            ).toEqual([]);
            reached++;
          }
          const status = await send(op, me, realPath(op, me), json(value));
          if (unstorable) expect(status).toBe(400);
        }
        if (oddValues(schema).length > 0) expect(reached).toBeGreaterThan(0);

        for (const [type, text] of WRONG_CONTENT_TYPES) {
          const status = await send(op, me, realPath(op, me), { type, text });
          expect([400, 401, 413, 415], `${type}: ${text}`).toContain(status);
        }
      }
    });
  }
});
