import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Mail } from './outbox.js';

export interface MailTransport {
  /** Delivers one mail; resolves to 'sent', or 'logged' when there is nowhere to send it. */
  send(mail: Mail): Promise<'sent' | 'logged'>;
  close(): void;
}

/**
 * SMTP through nodemailer when PM_SMTP_URL is set. Otherwise each mail is written as a file in
 * `mailDir` and the log names the file: mail carries tokens, and no secret goes to a log line.
 */
export async function createMailTransport(options: {
  smtpUrl: string | undefined;
  from: string;
  logger: Logger;
  mailDir: string;
}): Promise<MailTransport> {
  if (!options.smtpUrl) {
    return {
      async send(mail) {
        await mkdir(options.mailDir, { recursive: true, mode: 0o700 });
        const file = join(
          options.mailDir,
          `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`,
        );
        const message = `From: ${options.from}\nTo: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}\n`;
        await writeFile(file, message, { mode: 0o600 });
        options.logger.info(
          { mail: { to: mail.to, subject: mail.subject, file } },
          `mail (no PM_SMTP_URL set) to ${mail.to}: ${mail.subject}; read it in ${file}`,
        );
        return 'logged';
      },
      close() {},
    };
  }
  const { createTransport } = await import('nodemailer');
  const transporter = createTransport(options.smtpUrl);
  return {
    async send(mail) {
      await transporter.sendMail({
        from: options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
      });
      return 'sent';
    },
    close() {
      transporter.close();
    },
  };
}
