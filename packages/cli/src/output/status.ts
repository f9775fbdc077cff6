import type { Factory } from '../factory.js';
import { colors } from './color.js';

/** Confirmations and progress go to stderr, so stdout carries only data. */
export function notice(f: Factory, message: string): void {
  const c = colors(f.io.colorEnabled && f.io.isStderrTTY);
  f.io.stderr.write(`${c.green('✓')} ${message}\n`);
}

/** Something the user must not miss, on stderr. */
export function warn(f: Factory, message: string): void {
  const c = colors(f.io.colorEnabled && f.io.isStderrTTY);
  f.io.stderr.write(`${c.yellow('!')} ${message}\n`);
}

/**
 * Runs `task` under an ora spinner on an interactive stderr; silently otherwise. The task may
 * change the spinner's text as it goes (bytes received).
 */
export async function withSpinner<T>(
  f: Factory,
  text: string,
  task: (update: (text: string) => void) => Promise<T>,
): Promise<T> {
  if (!f.io.isStderrTTY) return task(() => {});
  const { default: ora } = await import('ora');
  const spinner = ora({ text, stream: f.io.stderr, isEnabled: true, color: 'cyan' }).start();
  try {
    return await task((next) => {
      spinner.text = next;
    });
  } finally {
    spinner.stop();
  }
}
