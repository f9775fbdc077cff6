import { Transform, type TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { HttpError } from '../../http/problem.js';
import type { StreamedBody } from '../../http/request-body.js';

export type ImportEncoding = 'auto' | 'utf-8' | 'windows-1252' | 'latin1';

const DELIMITERS = [',', ';', '\t'] as const;

export const badFile = (detail: string, message = detail) =>
  new HttpError(400, detail, {
    type: 'bad-csv',
    errors: [{ path: '/body', message }],
  });

/**
 * Bytes to text: UTF-8 (BOM stripped), Windows-1252 or Latin-1; `auto` reads UTF-8 and switches
 * to Windows-1252 at the first byte sequence that is not UTF-8. A NUL byte means a binary file.
 */
class Decode extends Transform {
  private utf8: TextDecoder | undefined;
  private legacy: { write(b: Buffer): string; end(): string | undefined } | undefined;
  private first = true;

  constructor(encoding: ImportEncoding) {
    super({ readableObjectMode: false, decodeStrings: true, encoding: 'utf8' });
    if (encoding === 'utf-8' || encoding === 'auto') {
      this.utf8 = new TextDecoder('utf-8', { fatal: encoding === 'auto', ignoreBOM: false });
    } else {
      this.legacy = iconv.getDecoder(encoding === 'latin1' ? 'latin1' : 'windows-1252');
    }
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback) {
    if (chunk.includes(0)) {
      callback(badFile('This is a binary file, not CSV text', 'contains NUL bytes'));
      return;
    }
    let text: string;
    if (this.utf8) {
      try {
        text = this.utf8.decode(chunk, { stream: true });
      } catch {
        // Not UTF-8: Windows-1252 from here on (auto only; fatal is off for utf-8).
        this.utf8 = undefined;
        this.legacy = iconv.getDecoder('windows-1252');
        text = this.legacy.write(chunk);
      }
    } else text = this.legacy!.write(chunk);
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    callback(null, text);
  }

  override _flush(callback: TransformCallback) {
    try {
      const rest = this.utf8 ? this.utf8.decode() : (this.legacy!.end() ?? '');
      callback(null, rest);
    } catch {
      callback(null, iconv.decode(Buffer.from([]), 'windows-1252'));
    }
  }
}

/** The delimiter of the header line: the candidate seen most often outside quotes (comma on ties). */
export function detectDelimiter(line: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best: string = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

export interface CsvRecord {
  /** 0 for the header, then 1… for data rows. */
  row: number;
  cells: string[];
}

const PARSE_ERRORS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'A quoted field is never closed',
  CSV_INVALID_CLOSING_QUOTE: 'A closing quote is followed by other characters',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'A closing quote is followed by other characters',
  CSV_MAX_RECORD_SIZE: 'A record is too large',
};

/**
 * The records of a CSV body as it arrives: decoded, delimiter detected from the first line,
 * quoted fields with delimiters and line breaks, CRLF or LF, blank lines skipped. A row may have
 * more or fewer fields than the header (the caller reports it); malformed quoting ends the file
 * with a 400 naming the line.
 */
export async function* csvRecords(
  body: StreamedBody,
  encoding: ImportEncoding,
): AsyncGenerator<CsvRecord> {
  const decoded = body.stream.pipe(new Decode(encoding));
  body.stream.on('error', (error) => decoded.destroy(error));
  let head = '';
  const iterator = decoded[Symbol.asyncIterator]() as AsyncIterator<string>;
  // Up to the end of the first line, to see its delimiter.
  while (!/\r|\n/.test(head) && head.length < 1_000_000) {
    const next = await iterator.next();
    if (next.done) break;
    head += next.value;
  }
  if (head.trim() === '') throw badFile('The file is empty', 'is empty');
  const firstLine = head.split(/\r?\n|\r/, 1)[0]!;
  const parser = parse({
    delimiter: detectDelimiter(firstLine),
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    max_record_size: 1_000_000,
  });
  // Backpressure: wait until the parser wants more, or is gone (destroyed when reading stopped).
  const drained = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        parser.off('drain', done);
        parser.off('close', done);
        resolve();
      };
      parser.once('drain', done);
      parser.once('close', done);
    });
  const feed = (async () => {
    try {
      if (!parser.write(head)) await drained();
      for (;;) {
        if (parser.destroyed) return;
        const next = await iterator.next();
        if (next.done) break;
        if (!parser.write(next.value)) await drained();
      }
      parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();
  let row = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      yield { row: row++, cells };
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code && PARSE_ERRORS[code]) {
      const line = (error as { lines?: number }).lines;
      throw badFile(
        `${PARSE_ERRORS[code]}${line ? ` (line ${line})` : ''}: the file is not valid CSV`,
        PARSE_ERRORS[code],
      );
    }
    throw error;
  } finally {
    // Stopped early (a bad row count, a fatal error): stop reading the body too.
    parser.destroy();
    decoded.destroy();
    await feed.catch(() => {});
  }
}
