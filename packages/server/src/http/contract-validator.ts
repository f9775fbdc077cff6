import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { FieldError } from './problem.js';
import { storableDateFormat, unstorableStrings } from './storable.js';

type JsonSchema = Record<string, unknown>;

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

export interface OperationObject {
  operationId: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: (ParameterObject | { $ref: string })[];
  requestBody?:
    | { required?: boolean; content: Record<string, { schema?: JsonSchema }> }
    | { $ref: string };
  responses: Record<string, unknown>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
  security?: Record<string, string[]>[];
}

export const HTTP_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
] as const;

export interface ContractOperation {
  method: string;
  path: string;
  operation: OperationObject;
  parameters: ParameterObject[];
  bodyContentTypes: string[];
  bodyRequired: boolean;
  /** `x-body-limit` of the request body (`200mb`), for streamed bodies. */
  bodyLimit: string | undefined;
  /** The media types of the 2xx responses, in the contract's order (negotiated by Accept). */
  responseContentTypes: string[];
  public: boolean;
}

export interface RequestParts {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  body?: unknown;
}

const CONTRACT_ID = 'pmkit-contract';

/** Compiles the contract's schemas once and answers per operation: is this request valid? */
export class ContractValidator {
  readonly operations: ContractOperation[];
  private readonly params: Ajv2020;
  private readonly bodies: Ajv2020;
  private readonly requestValidators = new Map<
    string,
    { params: ValidateFunction; body?: ValidateFunction }
  >();

  constructor(readonly document: OpenApiDocument) {
    const base = { allErrors: true, strict: false, validateSchema: false } as const;
    // Parameters arrive as strings and are coerced; bodies are JSON and must be exact.
    this.params = new Ajv2020({ ...base, coerceTypes: 'array', useDefaults: true });
    this.bodies = new Ajv2020({ ...base, useDefaults: true });
    for (const ajv of [this.params, this.bodies]) {
      addFormats.default(ajv);
      ajv.addFormat('date-time', storableDateFormat(fullFormats['date-time'] as never));
      ajv.addFormat('date', storableDateFormat(fullFormats.date as never));
      ajv.addSchema(rewriteRefs(document) as JsonSchema, CONTRACT_ID);
    }
    this.operations = listOperations(document);
  }

  /** Validates and coerces `parts` in place; returns every invalid field, empty when valid. */
  validateRequest(op: ContractOperation, parts: RequestParts): FieldError[] {
    const validators = this.requestValidatorsFor(op);
    const errors: FieldError[] = [];
    unstorableStrings(parts.path, '/path', errors);
    unstorableStrings(parts.query, '/query', errors);
    unstorableStrings(parts.body, '/body', errors);
    if (errors.length > 0) return errors;
    const params = { path: parts.path, query: parts.query, headers: parts.headers };
    if (!validators.params(params)) errors.push(...toFieldErrors(validators.params.errors));
    if (validators.body && parts.body !== undefined && !validators.body(parts.body)) {
      errors.push(...toFieldErrors(validators.body.errors, '/body'));
    }
    return errors;
  }

  resolve<T>(value: T | { $ref: string }): T {
    let current: unknown = value;
    while (current && typeof current === 'object' && '$ref' in current) {
      current = pointer(this.document, (current as { $ref: string }).$ref);
    }
    return current as T;
  }

  /** The schema of a response body, as a `$ref`-able schema for the body validator. */
  responseSchema(
    op: ContractOperation,
    status: number,
    contentType: string,
  ): JsonSchema | undefined {
    const responses = op.operation.responses;
    const response = this.resolve<
      { content?: Record<string, { schema?: JsonSchema }> } | undefined
    >(
      (responses[String(status)] ??
        responses[`${String(status)[0]}XX`] ??
        responses.default) as never,
    );
    return response?.content?.[contentType]?.schema;
  }

  compileBodySchema(schema: JsonSchema): ValidateFunction {
    return this.bodies.compile(rewriteRefs(schema) as JsonSchema);
  }

  private requestValidatorsFor(op: ContractOperation) {
    const key = `${op.method} ${op.path}`;
    let validators = this.requestValidators.get(key);
    if (!validators) {
      const group = (location: ParameterObject['in']) => {
        const list = op.parameters.filter((p) => p.in === location);
        const name = (p: ParameterObject) =>
          location === 'header' ? p.name.toLowerCase() : p.name;
        return {
          type: 'object',
          properties: Object.fromEntries(list.map((p) => [name(p), p.schema ?? {}])),
          required: list.filter((p) => p.required).map(name),
          ...(location === 'query' ? { additionalProperties: false } : {}),
        };
      };
      const paramsSchema = {
        type: 'object',
        properties: { path: group('path'), query: group('query'), headers: group('header') },
      };
      const bodySchema = this.requestBodySchema(op);
      validators = {
        params: this.params.compile(rewriteRefs(paramsSchema) as JsonSchema),
        ...(bodySchema ? { body: this.bodies.compile(rewriteRefs(bodySchema) as JsonSchema) } : {}),
      };
      this.requestValidators.set(key, validators);
    }
    return validators;
  }

  private requestBodySchema(op: ContractOperation): JsonSchema | undefined {
    const body = op.operation.requestBody ? this.resolve(op.operation.requestBody) : undefined;
    return body?.content['application/json']?.schema;
  }
}

function listOperations(document: OpenApiDocument): ContractOperation[] {
  const resolve = (value: unknown): unknown => {
    let current = value;
    while (current && typeof current === 'object' && '$ref' in current) {
      current = pointer(document, (current as { $ref: string }).$ref);
    }
    return current;
  };
  const operations: ContractOperation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    const shared = ((item.parameters as unknown[]) ?? []).map(resolve) as ParameterObject[];
    for (const method of HTTP_METHODS) {
      const operation = item[method] as OperationObject | undefined;
      if (!operation) continue;
      const own = (operation.parameters ?? []).map(resolve) as ParameterObject[];
      const parameters = [
        ...shared.filter((s) => !own.some((o) => o.name === s.name && o.in === s.in)),
        ...own,
      ];
      const body = resolve(operation.requestBody) as
        | { required?: boolean; content: Record<string, unknown>; 'x-body-limit'?: string }
        | undefined;
      const responseContentTypes = [
        ...new Set(
          Object.entries(operation.responses)
            .filter(([status]) => status.startsWith('2'))
            .flatMap(([, response]) =>
              Object.keys((resolve(response) as { content?: object }).content ?? {}),
            ),
        ),
      ];
      const security = operation.security ?? document.security ?? [];
      operations.push({
        method,
        path,
        operation,
        parameters,
        bodyContentTypes: body ? Object.keys(body.content) : [],
        bodyRequired: body?.required ?? false,
        bodyLimit: body?.['x-body-limit'],
        responseContentTypes,
        public: security.length === 0 || security.some((s) => Object.keys(s).length === 0),
      });
    }
  }
  return operations;
}

function pointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`Only local $refs are supported: ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], document);
}

/** Points local `#/…` refs into the contract registered under CONTRACT_ID. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) =>
        key === '$ref' && typeof child === 'string' && child.startsWith('#/')
          ? [key, `${CONTRACT_ID}${child}`]
          : [key, rewriteRefs(child)],
      ),
    );
  }
  return value;
}

function toFieldErrors(errors: ErrorObject[] | null | undefined, prefix = ''): FieldError[] {
  return (errors ?? []).map((error) => {
    let path = prefix + error.instancePath;
    let message = error.message ?? 'is invalid';
    if (error.keyword === 'required')
      path += `/${(error.params as { missingProperty: string }).missingProperty}`;
    if (error.keyword === 'additionalProperties') {
      path += `/${(error.params as { additionalProperty: string }).additionalProperty}`;
      message = 'is not allowed';
    }
    if (error.keyword === 'required') message = 'is required';
    return { path, message };
  });
}
