import type { ValidateFunction } from 'ajv';
import { contractValidator } from '../app.js';
import type { ContractOperation } from '../http/contract-validator.js';

/** A response the contract does not describe; thrown as itself, never as a network error. */
export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

interface ResponseObject {
  content?: Record<string, unknown>;
  headers?: Record<
    string,
    { required?: boolean; schema?: Record<string, unknown> } | { $ref: string }
  >;
}

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
    throw new ContractViolation(`Contract: ${where} is not an operation in openapi.yaml`);
  }
  if (!response.headers.get('x-request-id'))
    throw new ContractViolation(`Contract: ${where} has no X-Request-Id`);
  const documented = op.operation.responses[String(response.status)];
  if (documented === undefined) {
    throw new ContractViolation(
      `Contract: ${where} (${contentType || 'no body'}) is not documented for ${op.operation.operationId}`,
    );
  }
  const spec = validator.resolve<ResponseObject>(documented as ResponseObject);
  checkHeaders(where, spec, response);
  const contentTypes = Object.keys(spec.content ?? {});
  if (contentTypes.length === 0) {
    const text = await response.clone().text();
    if (text !== '')
      throw new ContractViolation(`Contract: ${where} documents no body but sent one`);
    return;
  }
  if (!contentTypes.includes(contentType)) {
    throw new ContractViolation(
      `Contract: ${where} sent ${contentType || 'no content type'}; documented: ${contentTypes.join(', ')}`,
    );
  }
  const schema = validator.responseSchema(op, response.status, contentType);
  if (!schema || !contentType.endsWith('json')) return;
  return checkBody(where, schema, response);
}

function checkHeaders(where: string, spec: ResponseObject, response: Response): void {
  const validator = contractValidator();
  for (const [name, header] of Object.entries(spec.headers ?? {})) {
    const { required, schema } = validator.resolve(header) as {
      required?: boolean;
      schema?: Record<string, unknown>;
    };
    const value = response.headers.get(name);
    if (value === null) {
      if (required) throw new ContractViolation(`Contract: ${where} lacks header ${name}`);
      continue;
    }
    if (schema?.type === 'integer' && !/^\d+$/.test(value)) {
      throw new ContractViolation(`Contract: ${where} header ${name}: ${value} is not an integer`);
    }
  }
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
    throw new ContractViolation(
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
