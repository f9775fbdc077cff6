import type { Logger } from 'pino';
import type { Mail } from './outbox.js';

export interface MailTransport {
  /** Delivers one mail; resolves to 'sent', or 'logged' when there is nowhere to send it. */
  send(mail: Mail): Promise<'sent' | 'logged'>;
  close(): void;
}

/** SMTP through nodemailer when PM_SMTP_URL is set; otherwise the mail goes to the server log. */
export async function createMailTransport(options: {
  smtpUrl: string | undefined;
  from: string;
  logger: Logger;
}): Promise<MailTransport> {
  if (!options.smtpUrl) {
    return {
      async send(mail) {
        options.logger.info(
          { mail: { to: mail.to, subject: mail.subject } },
          `mail (no PM_SMTP_URL set) to ${mail.to}: ${mail.subject}\n\n${mail.text}`,
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
