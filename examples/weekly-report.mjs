#!/usr/bin/env node
// Every Monday: last week's time report as a PDF, saved to a folder, and mailed when SMTP is set.
// Use an API key with `reports:read` (a Manager's or an Admin's, to see everyone's time).
//
//   PM_SERVER=http://127.0.0.1:4680 PM_TOKEN=pmk_... node examples/weekly-report.mjs acme reports/
//   # Optional: PM_TZ=Europe/Berlin (default: the key owner's profile time zone),
//   # SMTP_URL=smtp://user:pass@mail.example.com:587 MAIL_TO=client@example.com MAIL_FROM=…
//   #   (mailing needs `npm install nodemailer`)
import { createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createClient, isPmError } from '@pmkit/sdk';

const [org, dir = '.'] = process.argv.slice(2);
const { PM_SERVER = 'http://127.0.0.1:4680', PM_TOKEN, PM_TZ, SMTP_URL, MAIL_TO } = process.env;
if (!org || !PM_TOKEN) {
  console.error('usage: PM_TOKEN=pmk_… node weekly-report.mjs <org> [folder]');
  process.exit(2);
}

/** Today in `zone`, as YYYY-MM-DD. @param {string} zone */
const today = (zone) => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date());

/** Monday to Sunday of the week before the one `day` is in. @param {string} day */
function lastWeek(day) {
  const date = new Date(`${day}T00:00:00Z`);
  const monday = date.getTime() - (((date.getUTCDay() + 6) % 7) + 7) * 86_400_000;
  const iso = (/** @type {number} */ ms) => new Date(ms).toISOString().slice(0, 10);
  return { from: iso(monday), to: iso(monday + 6 * 86_400_000) };
}

const pm = createClient({ baseUrl: PM_SERVER, token: PM_TOKEN });
try {
  const tz = PM_TZ ?? (await pm.me.get()).timezone;
  const { from, to } = lastWeek(today(tz));
  const pdf = await pm.reports.time(org, {
    from,
    to,
    tz,
    groupBy: ['project', 'user'],
    format: 'pdf',
  });
  await mkdir(dir, { recursive: true });
  const file = join(dir, `time-report-${org}-${from}.pdf`);
  // A partial file never stands in for a whole one: write aside, then rename.
  await pipeline(Readable.fromWeb(/** @type {any} */ (pdf)), createWriteStream(`${file}.partial`));
  await rename(`${file}.partial`, file);
  if (SMTP_URL && MAIL_TO) {
    const { createTransport } = await import('nodemailer');
    await createTransport(SMTP_URL).sendMail({
      from: process.env.MAIL_FROM ?? MAIL_TO,
      to: MAIL_TO,
      subject: `Time report ${from} – ${to}`,
      text: `The time report of ${org} for ${from} – ${to} (${tz}) is attached.`,
      attachments: [{ filename: `time-report-${from}.pdf`, path: file }],
    });
  }
  console.log(file);
} catch (error) {
  console.error(isPmError(error) ? `report failed: ${error.detail ?? error.title}` : error);
  process.exit(isPmError(error) && error.status === 403 ? 3 : 1);
}
