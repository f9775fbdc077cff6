export type DatabaseKind = 'pglite' | 'postgresql';

export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

/** Something SQL can be sent to: the database itself or an open transaction. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>>;
  /** Runs several statements separated by semicolons, without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** Hears `NOTIFY`s on one channel. */
export interface ChannelListener {
  onMessage(payload: string): void;
  /** The listening connection was lost and is back: notices may have been missed meanwhile. */
  onGap?(): void;
}

export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * LISTENs on `channel` for notices other instances send with `pg_notify` (delivered at their
   * commit); resolves once listening, to a function that stops. PostgreSQL only: PGlite is one
   * process, which tells itself directly.
   */
  listen?(channel: string, listener: ChannelListener): Promise<() => Promise<void>>;
}
