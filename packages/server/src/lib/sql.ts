/**
 * A timestamp column as ISO text with microseconds. Keyset cursors need it: a JS Date keeps only
 * milliseconds, and a cursor rounded to them skips or repeats rows on PostgreSQL.
 */
export const isoMicros = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
