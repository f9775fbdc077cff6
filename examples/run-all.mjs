// npm run examples: starts a throw-away server from the build and runs every example against it,
// so the examples cannot rot. Each example is run twice where it promises to be idempotent.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@pmkit/sdk';

const here = fileURLToPath(new URL('.', import.meta.url));
const port = await new Promise((resolve) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});
const dataDir = mkdtempSync(join(tmpdir(), 'pmkit-examples-'));
const server = spawn(process.execPath, [join(here, '../packages/server/bin/pmkit-server.js')], {
  env: { ...process.env, PM_PORT: String(port), PM_DATA_DIR: dataDir, PM_LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const url = `http://127.0.0.1:${port}`;

let failed = 0;
let passed = 0;
function run(name, args, env, expect) {
  const result = spawnSync(process.execPath, [join(here, name), ...args], {
    env: { ...process.env, PM_SERVER: url, ...env },
    encoding: 'utf8',
  });
  const ok = result.status === 0 && expect(result.stdout);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} ${args.join(' ')}`);
  if (!ok) {
    failed++;
    console.log(result.stdout, result.stderr);
  } else passed++;
  return result.stdout.trim();
}

/** As `run`, without blocking this process meanwhile. */
async function runAsync(name, args, env, expect) {
  const child = spawn(process.execPath, [join(here, name), ...args], {
    env: { ...process.env, PM_SERVER: url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const status = await new Promise((resolve) => child.on('close', resolve));
  const ok = status === 0 && expect(stdout);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name} ${args.join(' ')}`);
  if (!ok) {
    failed++;
    console.log(stdout, stderr);
  } else passed++;
  return stdout.trim();
}

try {
  for (
    let i = 0;
    i < 100 &&
    !(await fetch(`${url}/health`).then(
      () => true,
      () => false,
    ));
    i++
  ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const env = { PM_EMAIL: 'ci@example.com', PM_PASSWORD: 'example password 1' };
  const uuid = (out) => /^[0-9a-f-]{36}$/.test(out.trim());
  const first = run('ensure-org.mjs', ['acme', 'Acme Inc.'], env, uuid);
  run('ensure-org.mjs', ['acme', 'Acme Inc.'], env, (out) => out.trim() === first);

  // An API key with audit:read, as the nightly job would hold, exports the log as CSV.
  const owner = createClient({ baseUrl: url });
  await owner.auth.login({ email: env.PM_EMAIL, password: env.PM_PASSWORD });
  const key = await owner.apiKeys.create('acme', { name: 'audit export', scopes: ['audit:read'] });
  const file = join(dataDir, 'audit.csv');
  run('export-audit.mjs', ['acme', file], { PM_TOKEN: key.secret }, (out) => {
    const lines = readFileSync(out.trim(), 'utf8').trimEnd().split('\n');
    return (
      lines[0]?.startsWith('id,time,action') && lines.some((l) => l.includes('api_key.created'))
    );
  });

  // A folder of exports: imported once, errors set aside; a second run finds nothing new.
  const leadsKey = await owner.apiKeys.create('acme', {
    name: 'nightly leads',
    scopes: ['leads:write'],
  });
  const exports = join(dataDir, 'exports');
  mkdirSync(exports);
  writeFileSync(
    join(exports, 'crm.csv'),
    'Name,E-mail,Lead Source\nAda,ada@example.com,crm\nBad,nope,crm\n',
  );
  writeFileSync(
    join(exports, 'form.csv'),
    'First Name;Last Name;Email Address\nGrace;Hopper;grace@example.com\n',
  );
  const nightly = spawnSync(
    process.execPath,
    [join(here, 'nightly-lead-import.mjs'), 'acme', exports],
    {
      env: { ...process.env, PM_SERVER: url, PM_TOKEN: leadsKey.secret },
      encoding: 'utf8',
    },
  );
  const nightlyOk =
    nightly.status === 1 &&
    nightly.stdout.includes('crm.csv: created 1, updated 0, skipped 0, failed 1') &&
    nightly.stdout.includes('form.csv: created 1') &&
    existsSync(join(exports, 'crm.errors.csv')) &&
    existsSync(join(exports, 'done', 'form.csv'));
  console.log(`${nightlyOk ? 'ok  ' : 'FAIL'} nightly-lead-import.mjs acme <folder>`);
  if (nightlyOk) passed++;
  else {
    failed++;
    console.log(nightly.stdout, nightly.stderr);
  }
  run(
    'nightly-lead-import.mjs',
    ['acme', exports],
    { PM_TOKEN: leadsKey.secret },
    (out) => out === '',
  );

  // A push whose commits fix two tasks closes them; a push that names none says nothing.
  const tasksKey = await owner.apiKeys.create('acme', { name: 'ci', scopes: ['tasks:write'] });
  const project = await owner.projects.create('acme', { key: 'WEB', name: 'Website' });
  for (const title of ['Login', 'Signup', 'Footer'])
    await owner.tasks.create(project.id, { title });
  const messages = join(dataDir, 'messages.txt');
  writeFileSync(messages, 'Fix the form\n\nFixes WEB-1, closes web-2\n\nRefs WEB-3\n');
  run('close-fixed-tasks.mjs', [messages], { PM_TOKEN: tasksKey.secret }, (out) => {
    return out === 'closed WEB-1\nclosed WEB-2\n';
  });
  writeFileSync(messages, 'Tidy the README\n');
  run('close-fixed-tasks.mjs', [messages], { PM_TOKEN: tasksKey.secret }, (out) => out === '');

  // Last week's time report as a PDF, saved to a folder and mailed to a local SMTP server.
  const reportsKey = await owner.apiKeys.create('acme', {
    name: 'weekly report',
    scopes: ['reports:read'],
  });
  const mailbox = await smtpSink();
  // Not spawnSync: the SMTP server in this process must answer while the example runs.
  const saved = await runAsync(
    'weekly-report.mjs',
    ['acme', join(dataDir, 'reports')],
    {
      PM_TOKEN: reportsKey.secret,
      PM_TZ: 'Europe/Berlin',
      SMTP_URL: `smtp://127.0.0.1:${mailbox.port}`,
      MAIL_TO: 'client@example.com',
    },
    (out) => /time-report-acme-\d{4}-\d\d-\d\d\.pdf$/.test(out.trim()),
  );
  const pdf = existsSync(saved) ? await pdfText(readFileSync(saved)) : '';
  const reportOk =
    pdf.includes('Time report') &&
    pdf.includes('Acme Inc.') &&
    pdf.includes('(Europe/Berlin)') &&
    mailbox.messages.length === 1 &&
    mailbox.messages[0].includes('Content-Type: application/pdf');
  console.log(
    `${reportOk ? 'ok  ' : 'FAIL'} weekly-report.mjs: the PDF reads back, and was mailed`,
  );
  if (reportOk) passed++;
  else failed++;
  await mailbox.close();
  // Checking out a task's branch starts its timer; the next task's branch switches it.
  const timeKey = await owner.apiKeys.create('acme', { name: 'hook', scopes: ['time:write'] });
  const repo = join(dataDir, 'repo');
  mkdirSync(repo);
  const git = (...args) => spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
  git('init', '-q', '-b', 'WEB-3-footer');
  const hook = () =>
    spawnSync(process.execPath, [join(here, 'timer-on-checkout.mjs'), 'a', 'b', '1'], {
      cwd: repo,
      env: { ...process.env, PM_SERVER: url, PM_TOKEN: timeKey.secret },
      encoding: 'utf8',
    });
  const started = hook();
  git('checkout', '-q', '-b', 'WEB-1-login');
  const switched = hook();
  const hookOk =
    started.stdout === 'timer started on WEB-3\n' &&
    switched.stdout === 'stopped WEB-3\ntimer started on WEB-1\n' &&
    hook().stdout === '';
  console.log(`${hookOk ? 'ok  ' : 'FAIL'} timer-on-checkout.mjs (post-checkout hook)`);
  if (hookOk) passed++;
  else {
    failed++;
    console.log(started, switched);
  }
} finally {
  server.kill('SIGTERM');
  await new Promise((resolve) => server.on('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
/** An SMTP server on loopback that keeps what it is sent. */
async function smtpSink() {
  const { SMTPServer } = await import('smtp-server');
  const messages = [];
  const sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, done) {
      const chunks = [];
      stream.on('data', (chunk) => chunks.push(chunk));
      stream.on('end', () => {
        messages.push(Buffer.concat(chunks).toString('utf8'));
        done();
      });
    },
  });
  await new Promise((resolve) => sink.listen(0, '127.0.0.1', resolve));
  return {
    port: sink.server.address().port,
    messages,
    close: () => new Promise((resolve) => sink.close(resolve)),
  };
}

/** The text of a PDF, as pdf.js extracts it. */
async function pdfText(bytes) {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const document = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false })
    .promise;
  let text = '';
  for (let n = 1; n <= document.numPages; n++) {
    const content = await (await document.getPage(n)).getTextContent();
    text += content.items.map((item) => ('str' in item ? item.str : '')).join(' ');
  }
  await document.destroy();
  return text;
}

console.log(`examples: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
