import type { Env, IOStreams } from './io.js';

export interface Prompter {
  input(message: string, options?: { default?: string }): Promise<string>;
  password(message: string): Promise<string>;
  confirm(message: string, options?: { default?: boolean }): Promise<boolean>;
}

/** Prompts only on an interactive stdin outside CI. */
export function canPrompt(io: IOStreams, env: Env): boolean {
  return io.isStdinTTY && !env.CI;
}

/** @inquirer/prompts is loaded on the first prompt; prompts draw on stderr so stdout stays data. */
export function inquirerPrompter(io: IOStreams): Prompter {
  const context = { input: io.stdin, output: io.stderr };
  return {
    async input(message, options) {
      const { input } = await import('@inquirer/prompts');
      return input({ message, required: true, ...options }, context);
    },
    async password(message) {
      const { password } = await import('@inquirer/prompts');
      return password({ message, mask: true }, context);
    },
    async confirm(message, options) {
      const { confirm } = await import('@inquirer/prompts');
      return confirm({ message, default: options?.default ?? false }, context);
    },
  };
}
