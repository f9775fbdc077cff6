import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { newCmdServerStart } from './start.js';

export function newCmdServer(f: Factory): Command {
  return new Command('server').description('Run a pmkit server').addCommand(newCmdServerStart(f));
}
