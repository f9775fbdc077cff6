#!/usr/bin/env node
// Nightly lead import: every CSV export in a folder (from a CRM, a web form, a portal) is imported
// once, streamed, de-duplicated by e-mail against the leads already there. The Idempotency-Key is
// the file's name and size, so a run that dies half-way (or runs twice) resumes instead of
// importing again. Refused rows go next to each file as `<name>.errors.csv`; imported files move
// to `done/`. Use an API key with `leads:write`.
//
//   PM_SERVER=http://127.0.0.1:4680 PM_TOKEN=pmk_... \
//     node examples/nightly-lead-import.mjs acme ./exports
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  readdirSync,
  renameSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createClient, isPmError } from '@pmkit/sdk';

const [org, folder] = process.argv.slice(2);
const { PM_SERVER = 'http://127.0.0.1:4680', PM_TOKEN } = process.env;
if (!org || !folder || !PM_TOKEN) {
  console.error('usage: PM_TOKEN=pmk_… node nightly-lead-import.mjs <org> <folder>');
  process.exit(2);
}

const pm = createClient({ baseUrl: PM_SERVER, token: PM_TOKEN });
const done = join(folder, 'done');
mkdirSync(done, { recursive: true });
let failedRows = 0;
for (const name of readdirSync(folder)
  .filter((n) => n.endsWith('.csv') && !n.endsWith('.errors.csv'))
  .sort()) {
  const path = join(folder, name);
  try {
    const result = await pm.leads.import(org, () => createReadStream(path), {
      dedupe: 'email',
      onDuplicate: 'update',
      idempotencyKey: `nightly:${name}:${statSync(path).size}`,
    });
    console.log(
      `${name}: created ${result.created}, updated ${result.updated}, skipped ${result.skipped}, failed ${result.failed}`,
    );
    if (result.failed > 0 && result.id) {
      failedRows += result.failed;
      const errors = await pm.leads.imports.errorsCsv(org, result.id);
      await pipeline(
        Readable.fromWeb(/** @type {any} */ (errors)),
        createWriteStream(join(folder, `${name.slice(0, -4)}.errors.csv`)),
      );
    }
    renameSync(path, join(done, name));
  } catch (error) {
    console.error(`${name}: ${isPmError(error) ? (error.detail ?? error.title) : error}`);
    process.exitCode = 1;
  }
}
if (failedRows > 0) process.exitCode = 1;
