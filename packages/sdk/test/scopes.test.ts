// Scopes are a union from the contract's enum: a misspelt one is a compile error. `npm run
// typecheck` compiles this file; an unused @ts-expect-error fails it.
import { createClient, isScope, SCOPES, type Scope } from '@pmkit/sdk';
import { describe, expect, it } from 'vitest';

describe('API key scopes', () => {
  it('a misspelt scope does not compile, and is refused at run time', () => {
    // @ts-expect-error 'tasks:wrte' is not a Scope
    const misspelt: Scope = 'tasks:wrte';
    const good: Scope = 'tasks:write';
    const pm = createClient({ baseUrl: 'http://127.0.0.1:1' });
    const create = () =>
      // @ts-expect-error not a Scope either, inside the request body
      pm.apiKeys.create('acme', { name: 'ci', scopes: ['time:wrte'] });
    expect(typeof create).toBe('function');
    expect(isScope(misspelt)).toBe(false);
    expect(isScope(good)).toBe(true);
  });

  it('SCOPES lists every resource with read and write', () => {
    expect(SCOPES).toHaveLength(18);
    expect(SCOPES).toContain('leads:write');
  });
});
