import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { newCmdAuthLogin } from './login.js';
import { newCmdAuthLogout } from './logout.js';
import { newCmdAuthRegister } from './register.js';
import { newCmdAuthStatus } from './status.js';
import { newCmdAuthToken } from './token.js';

export function newCmdAuth(f: Factory): Command {
  return new Command('auth')
    .description('Sign up, sign in and out, and print tokens')
    .addCommand(newCmdAuthRegister(f))
    .addCommand(newCmdAuthLogin(f))
    .addCommand(newCmdAuthLogout(f))
    .addCommand(newCmdAuthStatus(f))
    .addCommand(newCmdAuthToken(f));
}
