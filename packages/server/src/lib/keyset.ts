import { badRequest } from '../http/problem.js';
import { isoMicros } from './sql.js';

/** How a sort key is compared and carried in a cursor. Sort keys are NOT NULL columns. */
export type KeyKind = 'timestamp' | 'date' | 'uuid' | 'id' | 'text' | 'number';

export interface SortKey {
  /** The SQL expression sorted on (`m.created_at`). */
  sql: string;
  kind: KeyKind;
}

const CAST: Record<KeyKind, string> = {
  timestamp: 'timestamptz',
  date: 'date',
  uuid: 'uuid',
  id: 'bigint',
  text: 'text',
  number: 'numeric',
};

const VALID: Record<KeyKind, (value: unknown) => boolean> = {
  timestamp: (v) =>
    typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/.test(v),
  date: (v) => typeof v === 'string' && /^(\d{4}-\d\d-\d\d|infinity)$/.test(v),
  uuid: (v) =>
    typeof v === 'string' &&
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  id: (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0,
  text: (v) => typeof v === 'string' && v.length <= 1000,
  number: (v) => typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v),
};

export interface KeysetOptions {
  /** The fields a caller may sort by (`sort=-due,title`), by their API name. */
  sortable: Record<string, SortKey>;
  /** The sort when the caller names none, in the same syntax (`-createdAt`). */
  defaultSort: string;
  /** A unique key that breaks ties, so the order is total and pages never repeat or skip. */
  unique: SortKey;
  sort?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

interface Term {
  key: SortKey;
  descending: boolean;
}

const invalidCursor = () =>
  badRequest('The cursor is not one this list returned', [
    { path: '/query/cursor', message: 'is invalid' },
  ]);

/**
 * One indexed query per page for any `sort=-field,field`: the ORDER BY, the WHERE that starts
 * after the cursor (a row comparison when all keys run one way, their expansion otherwise), the
 * select list that carries each row's key values, and the page with its next cursor. A cursor
 * names the sort it was made for, so it cannot be replayed under another.
 */
export class Keyset {
  private readonly terms: Term[];
  private readonly spec: string;
  private readonly after: unknown[] | undefined;
  readonly limit: number;

  constructor(options: KeysetOptions) {
    this.spec = options.sort ?? options.defaultSort;
    this.terms = parseSort(this.spec, options.sortable);
    if (!this.terms.some((term) => term.key.sql === options.unique.sql)) {
      this.terms.push({ key: options.unique, descending: this.terms.at(-1)?.descending ?? false });
    }
    this.after = options.cursor === undefined ? undefined : this.decode(options.cursor);
    this.limit = options.limit;
  }

  /** `key0, key1…` to add to the SELECT list (`AS _k0…`), read back by {@link page}. */
  select(): string {
    return this.terms
      .map(
        ({ key }, i) =>
          `${key.kind === 'timestamp' ? isoMicros(key.sql) : key.kind === 'date' ? `${key.sql}::text` : key.sql} AS _k${i}`,
      )
      .join(', ');
  }

  orderBy(): string {
    return this.terms
      .map(({ key, descending }) => `${key.sql} ${descending ? 'DESC' : 'ASC'}`)
      .join(', ');
  }

  /** `LIMIT $n` for one page plus the row that tells whether another follows. */
  limitClause(params: unknown[]): string {
    params.push(this.limit + 1);
    return `LIMIT $${params.length}`;
  }

  /** The condition for rows after the cursor (`TRUE` on the first page); adds its values to `params`. */
  where(params: unknown[]): string {
    if (!this.after) return 'TRUE';
    const placeholders = this.terms.map(({ key }, i) => {
      params.push(this.after![i]);
      return `$${params.length}::${CAST[key.kind]}`;
    });
    const columns = this.terms.map(({ key }) => key.sql);
    if (this.terms.every((term) => term.descending === this.terms[0]!.descending)) {
      const op = this.terms[0]!.descending ? '<' : '>';
      return `(${columns.join(', ')}) ${op} (${placeholders.join(', ')})`;
    }
    const branches = this.terms.map((term, i) => {
      const equal = columns.slice(0, i).map((column, j) => `${column} = ${placeholders[j]}`);
      const beyond = `${columns[i]} ${term.descending ? '<' : '>'} ${placeholders[i]}`;
      return `(${[...equal, beyond].join(' AND ')})`;
    });
    return `(${branches.join(' OR ')})`;
  }

  /** Rows fetched with `LIMIT limit + 1`, turned into a page and the cursor to the next one. */
  page<Row extends object, Item>(
    rows: Row[],
    toItem: (row: Row) => Item,
  ): { items: Item[]; nextCursor: string | null } {
    const page = rows.slice(0, this.limit);
    const last = page.at(-1);
    return {
      items: page.map(toItem),
      nextCursor:
        rows.length > this.limit && last ? this.encode(last as Record<string, unknown>) : null,
    };
  }

  private encode(row: Record<string, unknown>): string {
    const values = this.terms.map((term, i) => {
      const value = row[`_k${i}`];
      return term.key.kind === 'number' ? String(value) : value;
    });
    return Buffer.from(JSON.stringify([this.spec, ...values])).toString('base64url');
  }

  private decode(cursor: string): unknown[] {
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw invalidCursor();
    }
    if (!Array.isArray(decoded) || decoded[0] !== this.spec) throw invalidCursor();
    const values = decoded.slice(1);
    if (
      values.length !== this.terms.length ||
      !values.every((value, i) => VALID[this.terms[i]!.key.kind](value))
    ) {
      throw invalidCursor();
    }
    return values;
  }
}

export interface PageQuery {
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** The usual list: by creation time (`column`), newest first, ties broken by `unique`. */
export function byCreation(
  query: PageQuery,
  order: 'newest' | 'oldest',
  column = 'created_at',
  unique = 'id',
): Keyset {
  return new Keyset({
    sortable: { createdAt: { sql: column, kind: 'timestamp' } },
    defaultSort: order === 'newest' ? '-createdAt' : 'createdAt',
    unique: { sql: unique, kind: 'uuid' },
    cursor: query.cursor,
    limit: query.limit ?? 50,
  });
}

function parseSort(spec: string, sortable: Record<string, SortKey>): Term[] {
  const terms: Term[] = [];
  for (const part of spec.split(',')) {
    const descending = part.startsWith('-');
    const name = descending ? part.slice(1) : part;
    const key = Object.hasOwn(sortable, name) ? sortable[name] : undefined;
    if (!key || terms.some((term) => term.key === key)) {
      throw badRequest(`Cannot sort by ${JSON.stringify(part)}`, [
        {
          path: '/query/sort',
          message: `must be a comma-separated list of ${Object.keys(sortable).join(', ')}, each optionally prefixed with -`,
        },
      ]);
    }
    terms.push({ key, descending });
  }
  return terms;
}
