#!/usr/bin/env node
// A CI step after a push: the tasks its commits say they fix (`Fixes WEB-42`, `closes web-7`,
// `Resolved API-3`) move to their workflow's first completed status, in one request. Prints one
// line per task it closed, and nothing (exit 0) when the commits name none. Use an API key with
// `tasks:write`.
//
//   git log --format=%B "$BEFORE..$AFTER" | PM_SERVER=https://pm.example.com PM_TOKEN=pmk_... \
//     node examples/close-fixed-tasks.mjs
//   node examples/close-fixed-tasks.mjs messages.txt      # or the messages from a file
import { readFile } from 'node:fs/promises';
import { createClient, isPmError } from '@pmkit/sdk';

const { PM_SERVER = 'http://127.0.0.1:4680', PM_TOKEN } = process.env;
if (!PM_TOKEN) {
  console.error('usage: PM_TOKEN=pmk_… node close-fixed-tasks.mjs [file] (messages on stdin)');
  process.exit(2);
}

async function stdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const messages = process.argv[2] ? await readFile(process.argv[2], 'utf8') : await stdin();
const pattern =
  /\b(?:fix(?:es|ed)?|close[sd]?|resolve[sd]?)\b[:\s]+([a-z][a-z0-9]{1,9}-[1-9][0-9]*)\b/gi;
const keys = [...new Set([...messages.matchAll(pattern)].map((m) => String(m[1]).toUpperCase()))];
if (keys.length === 0) process.exit(0);

const pm = createClient({ baseUrl: PM_SERVER, token: PM_TOKEN });
try {
  // An API key acts in its own organization, where the keys are resolved.
  const result = await pm.tasks.bulk(keys, { status: 'completed' });
  for (const r of result.results) {
    if (r.ok) console.log(`closed ${r.key}`);
    else console.error(`could not close ${r.task}: ${r.error?.detail}`);
  }
  process.exit(result.failed > 0 ? 1 : 0);
} catch (error) {
  console.error(isPmError(error) ? `close failed: ${error.detail ?? error.title}` : error);
  process.exit(1);
}
