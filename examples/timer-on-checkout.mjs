#!/usr/bin/env node
// A git post-checkout hook: switching to a branch named for a task (`WEB-42-fix-login`) starts
// the timer on that task, stopping the one that ran (it becomes a time entry). Branches that
// name no task, and file checkouts, leave the timer alone. Use an API key with `time:write`.
//
//   printf '#!/bin/sh\nexec node /path/to/timer-on-checkout.mjs "$@"\n' > .git/hooks/post-checkout
//   chmod +x .git/hooks/post-checkout
//   export PM_SERVER=https://pm.example.com PM_TOKEN=pmk_...
import { execFileSync } from 'node:child_process';
import { createClient, isPmError } from '@pmkit/sdk';

const branchCheckout = process.argv[4] ?? '1';
const { PM_SERVER = 'http://127.0.0.1:4680', PM_TOKEN } = process.env;
// git passes 0 for a file checkout: nothing changed branch.
if (branchCheckout !== '1' || !PM_TOKEN) process.exit(0);

let branch = '';
try {
  branch = execFileSync('git', ['symbolic-ref', '--short', 'HEAD'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
} catch {
  process.exit(0); // A detached HEAD is on no branch.
}
const key = /(?:^|\/)([a-z][a-z0-9]{1,9}-[1-9][0-9]*)(?=$|[-_/.])/i.exec(branch)?.[1];
if (!key) process.exit(0);

const pm = createClient({ baseUrl: PM_SERVER, token: PM_TOKEN });
try {
  const running = await pm.timer.get();
  if (running?.task?.key === key.toUpperCase()) process.exit(0);
  const { timer, stopped } = await pm.timer.start({ task: key.toUpperCase(), switch: true });
  if (stopped) console.log(`stopped ${stopped.task?.key ?? stopped.project?.key ?? 'timer'}`);
  console.log(`timer started on ${timer.task?.key}`);
} catch (error) {
  // A hook must never block a checkout: say why, and let git carry on.
  console.error(`pm timer: ${isPmError(error) ? error.detail : error}`);
}
