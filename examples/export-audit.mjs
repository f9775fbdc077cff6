#!/usr/bin/env node
// Nightly compliance copy: the organization's audit log since a date, streamed to a CSV file as the
// server writes it (memory stays flat however long the log is). Use an API key with `audit:read`.
//
//   PM_SERVER=http://127.0.0.1:4680 PM_TOKEN=pmk_... \
//     node examples/export-audit.mjs acme audit-$(date +%F).csv 2026-01-01
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createClient, isPmError } from '@pmkit/sdk';

const [org, file, since] = process.argv.slice(2);
const { PM_SERVER = 'http://127.0.0.1:4680', PM_TOKEN } = process.env;
if (!org || !file || !PM_TOKEN) {
  console.error('usage: PM_TOKEN=pmk_… node export-audit.mjs <org> <file.csv> [since]');
  process.exit(2);
}

const pm = createClient({ baseUrl: PM_SERVER, token: PM_TOKEN });
try {
  const csv = await pm.audit.exportCsv(org, since ? { since: new Date(since) } : {});
  // A partial file never stands in for a whole one: write aside, then rename.
  const partial = `${file}.partial`;
  await pipeline(Readable.fromWeb(/** @type {any} */ (csv)), createWriteStream(partial));
  const { rename } = await import('node:fs/promises');
  await rename(partial, file);
  console.log(file);
} catch (error) {
  console.error(isPmError(error) ? `export failed: ${error.detail ?? error.title}` : error);
  process.exit(isPmError(error) && error.status === 403 ? 3 : 1);
}
