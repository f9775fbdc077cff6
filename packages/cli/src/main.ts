import type { Command } from 'commander';
import { reportError } from './errors.js';
import type { Factory } from './factory.js';
import { newCmdRoot } from './root.js';

/** Runs `pm` in-process and returns its exit code; nothing here calls process.exit. */
export async function run(argv: readonly string[], f: Factory): Promise<number> {
  const program = newCmdRoot(f);
  forEachCommand(program, (cmd) => {
    cmd.exitOverride();
    cmd.configureOutput({
      writeOut: (s) => f.io.stdout.write(s),
      writeErr: (s) => f.io.stderr.write(s),
    });
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    return reportError(error, f.io);
  }
}

// exitOverride and configureOutput are not inherited through addCommand().
function forEachCommand(cmd: Command, fn: (cmd: Command) => void): void {
  fn(cmd);
  for (const sub of cmd.commands) forEachCommand(sub, fn);
}
