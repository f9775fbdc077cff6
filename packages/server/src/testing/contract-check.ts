import type { ValidateFunction } from 'ajv';
import { contractValidator } from '../app.js';
import type { ContractOperation } from '../http/contract-validator.js';

// Problems any operation may answer without listing them: they come from the HTTP layer itself.
const GENERIC_PROBLEMS = new Set([405, 413, 415, 503]);

interface Route {
  op: ContractOperation;
  pattern: RegExp;
}

let routes: Route[] | undefined;
const compiled = new Map<string, ValidateFunction>();

function findOperation(method: string, pathname: string): ContractOperation | undefined {
  routes ??= contractValidator().operations.map((op) => ({
    op,
    pattern: new RegExp(`^${op.path.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  return routes.find((r) => r.op.method === method.toLowerCase() && r.pattern.test(pathname))?.op;
}

/**
 * Checks a response against the contract: its status must be one the operation documents (or a
 * generic HTTP-layer problem) and its JSON body must match the schema. Throws when it does not.
 */
export async function checkResponse(
  method: string,
  url: string,
  response: Response,
): Promise<void> {
  const { pathname } = new URL(url);
  const op = findOperation(method, pathname);
  const where = `${method.toUpperCase()} ${pathname} → ${response.status}`;
  const contentType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const validator = contractValidator();
  if (!op) {
    // Only the router's own answers may come from paths and methods the contract does not have.
    if ([404, 405].includes(response.status) && contentType === 'application/problem+json') {
      return checkBody(where, { $ref: '#/components/schemas/Problem' }, response);
    }
    throw new Error(`Contract: ${where} is not an operation in openapi.yaml`);
  }
  if (!response.headers.get('x-request-id'))
    throw new Error(`Contract: ${where} has no X-Request-Id`);
  let schema = validator.responseSchema(op, response.status, contentType);
  if (
    !schema &&
    GENERIC_PROBLEMS.has(response.status) &&
    contentType === 'application/problem+json'
  ) {
    schema = { $ref: '#/components/schemas/Problem' };
  }
  const documented = op.operation.responses[String(response.status)] !== undefined;
  if (!schema) {
    if (documented && response.status === 204) return;
    if (documented && !contentType.endsWith('json')) return;
    throw new Error(
      `Contract: ${where} (${contentType || 'no body'}) is not documented for ${op.operation.operationId}`,
    );
  }
  if (!contentType.endsWith('json')) return;
  return checkBody(where, schema, response);
}

async function checkBody(
  where: string,
  schema: Record<string, unknown>,
  response: Response,
): Promise<void> {
  const validator = contractValidator();
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = validator.compileBodySchema(schema);
    compiled.set(key, validate);
  }
  const body = await response.clone().json();
  if (!validate(body)) {
    const errors = (validate.errors ?? [])
      .map((e) => `${e.instancePath || '/'} ${e.message}`)
      .join('; ');
    throw new Error(
      `Contract: ${where} body does not match the schema: ${errors}\n${JSON.stringify(body)}`,
    );
  }
}

/** A fetch that checks every response it receives against the contract. */
export function contractCheckingFetch(inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const response = await inner(request);
    await checkResponse(request.method, request.url, response);
    return response;
  };
}
