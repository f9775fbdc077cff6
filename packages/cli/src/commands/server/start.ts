import { Command, InvalidArgumentError } from 'commander';
import type { Factory } from '../../factory.js';

interface StartOptions {
  port?: number;
  host?: string;
  dataDir?: string;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError('must be a port number (0-65535)');
  }
  return n;
}

export function newCmdServerStart(f: Factory): Command {
  return new Command('start')
    .description('Start the API server in the foreground (stop it with Ctrl-C or SIGTERM)')
    .option('--port <n>', 'port to listen on (env PM_PORT; default 4680)', port)
    .option('--host <h>', 'address to bind (default 127.0.0.1)')
    .option('--data-dir <dir>', 'embedded database directory (env PM_DATA_DIR)')
    .addHelpText(
      'after',
      `
Examples:
  $ pm server start
  $ pm server start --port 8080 --host 0.0.0.0 --data-dir ./pmdata
  $ DATABASE_URL=postgres://localhost/pmkit pm server start`,
    )
    .action(async (options: StartOptions) => {
      // Loaded here so that no other command pays for the server's dependencies.
      const { runServer } = await import('@pmkit/server');
      // runServer shuts down gracefully on the first SIGINT or SIGTERM. Under `npm start` a Ctrl-C
      // comes twice (from the terminal, then forwarded by npm, late on a busy machine): these
      // no-ops keep one that lands after runServer's own handlers are gone from killing the
      // process with 130. A signal listener does not keep the process alive.
      const ignore = () => {};
      process.on('SIGINT', ignore);
      process.on('SIGTERM', ignore);
      await runServer({
        port: options.port,
        host: options.host,
        dataDir: options.dataDir,
        env: f.env,
      });
    });
}
