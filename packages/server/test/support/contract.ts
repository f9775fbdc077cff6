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

/** The body's own schema errors, whatever the parameters. */
export function bodyErrors(op: Operation, body: unknown): string[] {
  return schemaErrors(op, { body }).filter((e) => e.includes('"/body'));
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
      // A pattern's example is a value it accepts (`WEB` for a project key).
      if (schema.pattern && typeof schema.example === 'string') return schema.example;
      const format = FORMAT_SAMPLES[schema.format as string];
      if (format) return format;
      const min = Number(schema.minLength ?? 1);
      return 'a'.repeat(Math.max(min, 1));
    }
  }
}

const ODD_TEXT = [
  'nul\u0000byte',
  'lone \ud800 surrogate',
  'zero\u200bwidth \u202eright-to-left',
  "'; DROP TABLE users; --",
  '%00%ff ../../etc/passwd',
  '\u{1F600}'.repeat(8),
];

/**
 * Values at the edges of the contract's patterns: a task key whose project key reads as hex (the
 * start of a uuid), numbers past a 32-bit integer, a "user id" of dashes. Each schema with a
 * pattern gets those it accepts.
 */
export const ODD_PATTERNED = [
  'DEADBEEF',
  'DEADBEEF-1',
  'ABCDEF1234-9999999999',
  'WEB-2147483648',
  'WEB-9999999999',
  '-'.repeat(36),
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  '999999999999.99',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF=x',
];

/** Odd strings a string schema still accepts (NUL and lone surrogates are refused by design). */
function oddStrings(schema: Schema): string[] {
  const max = Math.min(Number(schema.maxLength ?? 1_000_000), 1_000_000);
  const min = Number(schema.minLength ?? 0);
  switch (schema.format) {
    case 'email':
      return [`${'a'.repeat(64)}@${'b'.repeat(63)}.example.com`, 'Mixed.Case+tag@Example.COM'];
    case 'uuid':
      return ['00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF'];
    case 'date-time':
      return ['9999-12-31T23:59:59.999Z', '0001-01-01T00:00:00Z', '2030-01-01T00:00:00+14:00'];
    case 'date':
      return ['9999-12-31', '0001-01-01'];
    case 'uri':
      return [`https://example.com/${'x'.repeat(Math.max(0, max - 20))}`];
  }
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern as string, 'u');
    const min = Number(schema.minLength ?? 0);
    return ODD_PATTERNED.filter((t) => pattern.test(t) && t.length >= min && t.length <= max);
  }
  // Lengths count code points, as the validator does.
  const texts = ODD_TEXT.filter((t) => [...t].length <= max).map((t) =>
    t.padEnd(min + t.length - [...t].length, 'x'),
  );
  if (max > 1) texts.push('x'.repeat(max), '\u00e9'.repeat(max), ' '.repeat(Math.max(min, 1)));
  return texts;
}

function oddNumbers(schema: Schema): number[] {
  // `type: [integer, "null"]` is an integer too.
  const integer = ([] as unknown[]).concat(schema.type).includes('integer');
  const values = [
    schema.minimum as number | undefined,
    schema.maximum as number | undefined,
    integer ? Number.MAX_SAFE_INTEGER : 1.7976931348623157e308,
    integer ? -Number.MAX_SAFE_INTEGER : -1.7976931348623157e308,
    0,
    integer ? 2 ** 31 : 5e-324,
  ];
  return values.filter(
    (v): v is number =>
      v !== undefined &&
      (schema.minimum === undefined || v >= (schema.minimum as number)) &&
      (schema.maximum === undefined || v <= (schema.maximum as number)),
  );
}

/** Deeply nested and large values for objects open to any property (`additionalProperties: true`). */
function oddFreeObjects(): unknown[] {
  let deep: unknown = 'bottom';
  for (let i = 0; i < 500; i++) deep = { d: deep };
  return [{ deep }, { big: 'x'.repeat(900_000) }, { '': null, __proto__x: [1e308, -0, true] }];
}

export interface OddValue {
  path: (string | number)[];
  value: unknown;
}

/** Every odd value each field of `schema` accepts, as a path into a sample body and the value. */
export function oddValues(schema: Schema | undefined, path: (string | number)[] = []): OddValue[] {
  if (!schema) return [];
  const at = (values: unknown[]) => values.map((value) => ({ path, value }));
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const out: OddValue[] = [];
  if (Array.isArray(schema.enum)) return at(schema.enum.slice(1));
  if (types.includes('null') && path.length) out.push({ path, value: null });
  if (types.includes('string')) out.push(...at(oddStrings(schema)));
  if (types.includes('integer') || types.includes('number')) out.push(...at(oddNumbers(schema)));
  if (types.includes('array')) {
    const items = schema.items as Schema;
    const max = Math.min(Number(schema.maxItems ?? 1000), 1000);
    if (!schema.uniqueItems)
      out.push({ path, value: Array.from({ length: max }, () => sample(items)) });
    out.push(...oddValues(items, [...path, 0]));
    if (Array.isArray(items?.enum) && schema.uniqueItems) {
      out.push({ path, value: items.enum.slice(0, Math.min(items.enum.length, max)) });
    }
  }
  if (types.includes('object')) {
    if (schema.additionalProperties === true && path.length) out.push(...at(oddFreeObjects()));
    for (const [name, prop] of Object.entries(
      (schema.properties as Record<string, Schema>) ?? {},
    )) {
      out.push(...oddValues(prop, [...path, name]));
    }
  }
  return out;
}
