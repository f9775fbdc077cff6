import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { newCmdAuthLogin } from './login.js';
import { newCmdAuthLogout } from './logout.js';
import { newCmdAuthPassword } from './password.js';
import { newCmdAuthRegister } from './register.js';
import { newCmdAuthReset } from './reset.js';
import { newCmdAuthSessions } from './sessions/index.js';
import { newCmdAuthStatus } from './status.js';
import { newCmdAuthToken } from './token.js';
import { newCmdAuthVerify } from './verify.js';

export function newCmdAuth(f: Factory): Command {
  return new Command('auth')
    .description('Sign up, sign in and out, tokens, passwords and sessions')
    .addCommand(newCmdAuthRegister(f))
    .addCommand(newCmdAuthLogin(f))
    .addCommand(newCmdAuthLogout(f))
    .addCommand(newCmdAuthStatus(f))
    .addCommand(newCmdAuthToken(f))
    .addCommand(newCmdAuthVerify(f))
    .addCommand(newCmdAuthPassword(f))
    .addCommand(newCmdAuthReset(f))
    .addCommand(newCmdAuthSessions(f));
}
