import { Command } from 'commander';
import type { Factory } from '../../../factory.js';
import { newCmdAuthSessionsList } from './list.js';
import { newCmdAuthSessionsRevoke } from './revoke.js';

export function newCmdAuthSessions(f: Factory): Command {
  return new Command('sessions')
    .description('Your signed-in sessions: list them (the default), or sign one out')
    .addCommand(newCmdAuthSessionsList(f), { isDefault: true })
    .addCommand(newCmdAuthSessionsRevoke(f));
}
