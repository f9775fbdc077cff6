import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { newCmdApiKeyCreate } from './create.js';
import { newCmdApiKeyList } from './list.js';
import { newCmdApiKeyRevoke } from './revoke.js';

export function newCmdApiKey(f: Factory): Command {
  return new Command('apikey')
    .description('API keys for scripts and CI: create, list, revoke')
    .addHelpText('after', '\nUse a key with PM_TOKEN=pmk_… or `pm auth login --with-token`.')
    .addCommand(newCmdApiKeyCreate(f))
    .addCommand(newCmdApiKeyList(f))
    .addCommand(newCmdApiKeyRevoke(f));
}
