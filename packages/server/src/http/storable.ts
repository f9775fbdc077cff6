import type { FieldError } from './problem.js';

// PostgreSQL's text and jsonb cannot hold U+0000, and UTF-8 cannot encode a lone surrogate.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this refuses
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Every string (and object key) in `value` that no database could store, by JSON path under
 * `prefix`: such input is the caller's mistake, so it is a 400 here rather than a 500 later.
 */
export function unstorableStrings(value: unknown, prefix: string, out: FieldError[] = []) {
  if (typeof value === 'string') {
    if (UNSTORABLE.test(value)) {
      out.push({ path: prefix, message: 'must not contain NUL characters or unpaired surrogates' });
    }
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) unstorableStrings(item, `${prefix}/${index}`, out);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const path = `${prefix}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (UNSTORABLE.test(key)) {
        out.push({ path, message: 'names a key with NUL characters or unpaired surrogates' });
      } else {
        unstorableStrings(child, path, out);
      }
    }
  }
  return out;
}

// RFC 3339 allows year 0000; PostgreSQL has no year zero, and most clients mishandle years
// before 1. A date or date-time must also be valid for its format.
const YEAR_ZERO = /^0000-/;

interface FormatDefinition {
  validate: (value: string) => boolean;
  compare?: (a: string, b: string) => number | undefined;
}

/** An ajv format that is `base` and also refuses year 0000. */
export function storableDateFormat(base: FormatDefinition) {
  return {
    type: 'string' as const,
    validate: (value: string) => base.validate(value) && !YEAR_ZERO.test(value),
    ...(base.compare ? { compare: base.compare } : {}),
  };
}
