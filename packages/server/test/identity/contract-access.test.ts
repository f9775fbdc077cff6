import { contractValidator } from '@pmkit/server';
import { describe, expect, it } from 'vitest';
import { OPERATION_ACCESS } from '../../src/modules/access/permissions.js';

const operations = contractValidator().operations;

describe('the access table and the contract agree', () => {
  it('lists exactly the contract’s operations', () => {
    expect(Object.keys(OPERATION_ACCESS).sort()).toEqual(
      operations.map((op) => op.operation.operationId).sort(),
    );
  });

  for (const op of operations) {
    const id = op.operation.operationId as keyof typeof OPERATION_ACCESS;
    const access = OPERATION_ACCESS[id];
    const documented = Object.keys(op.operation.responses);
    it(`${id} documents the refusals it can answer`, () => {
      expect(op.public, 'public in the table iff `security: []` in the contract').toBe(
        access.kind === 'public',
      );
      if (access.kind !== 'public') expect(documented).toContain('401');
      if (access.kind === 'org' || (access.kind === 'account' && !access.apiKey))
        expect(documented).toContain('403');
      if (op.parameters.some((p) => p.in === 'path')) expect(documented).toContain('404');
      // Any parameter (but the optional headers) or body can be malformed.
      if (op.bodyContentTypes.length || op.parameters.some((p) => p.in !== 'header')) {
        expect(documented).toContain('400');
      }
      if (op.path.startsWith('/v1/')) expect(documented).toContain('429');
      // The HTTP layer's own answers: a body too large or of the wrong type, a reused
      // Idempotency-Key (malformed, in flight, another body), and shutting down.
      if (op.bodyContentTypes.length)
        expect(documented).toEqual(expect.arrayContaining(['413', '415']));
      if (op.parameters.some((p) => p.name === 'Idempotency-Key')) {
        expect(documented).toEqual(expect.arrayContaining(['400', '409', '422']));
      }
      expect(documented).toContain('503');
    });
  }
});
