import { badRequest } from '../http/problem.js';

/** Keyset cursors: the sort key values of the last row of a page, opaque to callers. */
export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

const KINDS = {
  timestamp: (v: unknown) =>
    typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/.test(v),
  uuid: (v: unknown) =>
    typeof v === 'string' &&
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  id: (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0,
} as const;

type Kind = keyof typeof KINDS;
type Decoded<K extends readonly Kind[]> = {
  -readonly [I in keyof K]: K[I] extends 'id' ? number : string;
};

/**
 * The key values of a cursor, each checked against its kind, so a forged cursor is a 400 and
 * never reaches SQL as a value PostgreSQL cannot cast.
 */
export function decodeCursor<const K extends readonly Kind[]>(
  cursor: string | undefined,
  kinds: K,
): Decoded<K> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === kinds.length &&
      values.every((value, i) => KINDS[kinds[i]!](value))
    ) {
      return values as Decoded<K>;
    }
  } catch {}
  throw badRequest('The cursor is not one this list returned', [
    { path: '/query/cursor', message: 'is invalid' },
  ]);
}

/** Given limit+1 rows, returns the page and the cursor to the next one. */
export function pageOf<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  keyOf: (row: Row) => (string | number)[],
): { items: Item[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toItem),
    nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null,
  };
}
