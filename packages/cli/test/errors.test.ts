import { PmError, PmNetworkError } from '@pmkit/sdk';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { AuthError, CliError, exitCodeFor, reportError, UsageError } from '../src/errors.js';
import { fakeIO } from './helpers.js';

const pmError = (status: number, extra: object = {}) =>
  new PmError({ type: 'about:blank', title: 'T', status, detail: `detail ${status}`, ...extra });

describe('exit codes', () => {
  it.each([
    [pmError(400), 2],
    [pmError(401), 3],
    [pmError(403), 3],
    [pmError(404), 4],
    [pmError(409), 5],
    [pmError(412), 5],
    [pmError(422), 5],
    [pmError(422, { type: 'https://pmkit.dev/problems/invalid-token' }), 4],
    [pmError(422, { errors: [{ path: '/body/currentPassword', message: 'is wrong' }] }), 3],
    [Object.assign(new Error('User force closed the prompt'), { name: 'ExitPromptError' }), 130],
    [pmError(500), 1],
    [new PmNetworkError('http://x', new Error('boom')), 1],
    [new UsageError('bad'), 2],
    [new AuthError(), 3],
    [new CliError('x'), 1],
    [new Error('x'), 1],
    [new CommanderError(1, 'commander.unknownOption', 'x'), 2],
    [new CommanderError(0, 'commander.helpDisplayed', 'x'), 0],
    [new CommanderError(0, 'commander.version', 'x'), 0],
  ])('%s → %i', (error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });

  it('prints one error line, plus one line per invalid field of a 400 named as a flag', () => {
    const t = fakeIO();
    const error = pmError(400, {
      detail: '2 invalid fields',
      errors: [
        { path: '/body/email', message: 'must match format "email"' },
        { path: '/body/name', message: 'is required' },
      ],
    });
    expect(reportError(error, t.io, 'auth register')).toBe(2);
    expect(t.stderr()).toBe(
      'error: 2 invalid fields\n  --email: must match format "email"\n  --name: is required\n',
    );
  });

  it('never prints a stack trace', () => {
    const t = fakeIO();
    reportError(new TypeError('x is not a function'), t.io);
    expect(t.stderr()).toBe('error: x is not a function\n');
  });
});
