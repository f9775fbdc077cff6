import type { Command } from 'commander';
import { reportError } from './errors.js';
import type { Factory } from './factory.js';
import { newCmdRoot } from './root.js';

/** Runs `pm` in-process and returns its exit code; nothing here calls process.exit. */
export async function run(argv: readonly string[], f: Factory): Promise<number> {
  const program = newCmdRoot(f);
  // The command that ran, as typed below `pm` (`org create`), for naming fields in errors.
  let command = '';
  program.hook('preAction', (_root, action) => {
    command = commandPath(action);
  });
  forEachCommand(program, (cmd) => {
    cmd.exitOverride();
    cmd.configureOutput({
      writeOut: (s) => f.io.stdout.write(s),
      writeErr: (s) => f.io.stderr.write(s),
    });
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    await f.flush();
    return 0;
  } catch (error) {
    await f.flush().catch((flushError: unknown) => reportError(flushError, f.io, command));
    return reportError(error, f.io, command);
  }
}

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

// exitOverride and configureOutput are not inherited through addCommand().
function forEachCommand(cmd: Command, fn: (cmd: Command) => void): void {
  fn(cmd);
  for (const sub of cmd.commands) forEachCommand(sub, fn);
}
