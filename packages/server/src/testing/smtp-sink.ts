import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
}

/** A real SMTP server on loopback that keeps what it receives, for tests to read. */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  private waiters: (() => void)[] = [];
  private constructor(
    private readonly server: SMTPServer,
    readonly url: string,
  ) {}

  static async start(): Promise<SmtpSink> {
    let sink: SmtpSink | undefined;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, done) {
        simpleParser(stream)
          .then((parsed) => {
            for (const rcpt of session.envelope.rcptTo) {
              sink?.received.push({
                to: rcpt.address,
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
              });
            }
            for (const wake of sink?.waiters.splice(0) ?? []) wake();
            done();
          })
          .catch(done);
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    sink = new SmtpSink(server, `smtp://127.0.0.1:${port}`);
    return sink;
  }

  /** How many mails arrived so far: pass it as `after` to wait for a newer one. */
  mark(): number {
    return this.received.length;
  }

  /**
   * The newest mail to `to` that `match` accepts, among those after the `after` mark, waiting up
   * to `timeoutMs` for one to arrive.
   */
  async next(
    to: string,
    match: (mail: ReceivedMail) => boolean = () => true,
    { after = 0, timeoutMs = 10_000 }: { after?: number; timeoutMs?: number } = {},
  ): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received
        .slice(after)
        .findLast((mail) => mail.to.toLowerCase() === to.toLowerCase() && match(mail));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No mail to ${to} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The `Token: …` line of the newest matching mail to `to`. */
  async token(
    to: string,
    subject: RegExp,
    options?: { after?: number; timeoutMs?: number },
  ): Promise<string> {
    const mail = await this.next(to, (m) => subject.test(m.subject), options);
    const token = /^Token: (\S+)$/m.exec(mail.text)?.[1];
    if (!token)
      throw new Error(`The mail "${mail.subject}" to ${to} carries no token:\n${mail.text}`);
    return token;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
