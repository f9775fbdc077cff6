import { contractValidator } from '@pmkit/server';

/**
 * The contract read the way the generic tests need it: request bodies with every `$ref` resolved,
 * the id-bearing fields of each operation, and schema-valid sample values.
 */
export type Schema = Record<string, unknown>;
export type Operation = ReturnType<typeof contractValidator>['operations'][number];

const validator = contractValidator();
export const operations: Operation[] = validator.operations;
export const operationsById = new Map(operations.map((op) => [op.operation.operationId, op]));

/** `schema` with every `$ref` replaced by what it points to (the contract has no cycles). */
export function deref(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(deref);
  if (!schema || typeof schema !== 'object') return schema;
  const resolved = validator.resolve(schema as Schema) as Schema;
  return Object.fromEntries(Object.entries(resolved).map(([k, v]) => [k, deref(v)]));
}

export function bodySchema(op: Operation): Schema | undefined {
  const body = op.operation.requestBody && validator.resolve(op.operation.requestBody);
  const schema = body?.content['application/json']?.schema;
  return schema ? (deref(schema) as Schema) : undefined;
}

/** Is this request valid by the contract? (The same check the server runs first.) */
export function schemaErrors(
  op: Operation,
  parts: { path?: Record<string, string>; query?: Record<string, string>; body?: unknown },
): string[] {
  const errors = validator.validateRequest(op, {
    path: { ...parts.path },
    query: { ...parts.query },
    headers: {},
    ...(parts.body === undefined ? {} : { body: structuredClone(parts.body) }),
  });
  return errors.map((e) => JSON.stringify(e));
}

export interface IdField {
  in: 'path' | 'query' | 'body';
  /** The parameter name, or the body property's JSON path (`["items", 0, "taskId"]`). */
  name: string;
  path: (string | number)[];
  /** What it identifies: `user` for `userId`/`userIds`, the parameter name for path params. */
  kind: string;
  many: boolean;
}

const ID_NAME = /^(.+?)Ids?$/;

function isIdLike(name: string, schema: Schema | undefined): boolean {
  return ID_NAME.test(name) || schema?.format === 'uuid';
}

function kindOf(name: string): string {
  return ID_NAME.exec(name)?.[1] ?? name;
}

/** Every id an operation takes: path parameters, uuid or `…Id(s)` query parameters and body fields. */
export function idFields(op: Operation): IdField[] {
  const fields: IdField[] = [];
  for (const p of op.parameters) {
    if (p.in === 'path' || (p.in === 'query' && isIdLike(p.name, deref(p.schema) as Schema))) {
      const many = (p.schema as Schema | undefined)?.type === 'array';
      fields.push({ in: p.in, name: p.name, path: [p.name], kind: kindOf(p.name), many });
    }
  }
  const walk = (schema: Schema | undefined, path: (string | number)[]) => {
    if (!schema) return;
    for (const part of ['allOf', 'oneOf', 'anyOf'] as const) {
      for (const sub of (schema[part] as Schema[] | undefined) ?? []) walk(sub, path);
    }
    for (const [name, prop] of Object.entries(
      (schema.properties as Record<string, Schema>) ?? {},
    )) {
      const items = prop.items as Schema | undefined;
      const many =
        prop.type === 'array' || (Array.isArray(prop.type) && prop.type.includes('array'));
      if (isIdLike(name, many ? items : prop)) {
        fields.push({ in: 'body', name, path: [...path, name], kind: kindOf(name), many });
      } else if (many) walk(items, [...path, name, 0]);
      else walk(prop, [...path, name]);
    }
  };
  walk(bodySchema(op), []);
  return fields;
}

/** Sets `value` at `path` inside `target`, creating objects and arrays on the way. */
export function setAt(target: Record<string, unknown>, path: (string | number)[], value: unknown) {
  let node: Record<string | number, unknown> = target;
  path.forEach((key, i) => {
    if (i === path.length - 1) node[key] = value;
    else {
      node[key] ??= typeof path[i + 1] === 'number' ? [] : {};
      node = node[key] as Record<string | number, unknown>;
    }
  });
}

const FORMAT_SAMPLES: Record<string, string> = {
  uuid: '00000000-0000-4000-8000-000000000000',
  email: 'sample@example.com',
  'date-time': '2030-01-01T00:00:00Z',
  date: '2030-01-01',
  uri: 'https://example.com/x',
};

/**
 * A small value `schema` accepts: required properties only, first enum value, shortest strings.
 * Good enough for the contract's request schemas; a test checks the result against the validator.
 */
export function sample(schema: Schema | undefined): unknown {
  if (!schema) return {};
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (Array.isArray(schema.allOf)) {
    return Object.assign({}, ...(schema.allOf as Schema[]).map((s) => sample(s)));
  }
  for (const part of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(schema[part])) return sample((schema[part] as Schema[])[0]);
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const type = types.find((t) => t !== 'null') ?? types[0];
  switch (type) {
    case 'object': {
      const props = (schema.properties as Record<string, Schema>) ?? {};
      const required = (schema.required as string[]) ?? [];
      const names = required.length
        ? required
        : Object.keys(props).slice(0, schema.minProperties ? 1 : 0);
      return Object.fromEntries(names.map((n) => [n, sample(props[n])]));
    }
    case 'array':
      return Array.from({ length: Number(schema.minItems ?? 0) }, () =>
        sample(schema.items as Schema),
      );
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default: {
      const format = FORMAT_SAMPLES[schema.format as string];
      if (format) return format;
      const min = Number(schema.minLength ?? 1);
      return 'a'.repeat(Math.max(min, 1));
    }
  }
}
