import type { ServerConfig } from '../../config.js';
import type { Database } from '../../db/types.js';
import { contractYaml } from '../../generated/contract.js';
import type { Handlers } from '../../http/handler-types.js';
import { HttpError } from '../../http/problem.js';
import { VERSION } from '../../version.js';
import { DOCS_PAGE } from './docs.js';

export function systemHandlers(
  db: Database,
  config: Pick<ServerConfig, 'registration'>,
): Pick<Handlers, 'getHealth' | 'getReady' | 'getContract' | 'getDocs' | 'getServerMeta'> {
  return {
    getHealth: async () => ({ status: 200, body: { status: 'ok' } }),
    getReady: async () => {
      try {
        await db.query('SELECT 1');
      } catch {
        throw new HttpError(503, 'The database does not answer', {
          headers: { 'Retry-After': '5' },
        });
      }
      return { status: 200, body: { status: 'ready', database: db.kind } };
    },
    getContract: async ({ ctx }) => {
      ctx.type = 'application/yaml; charset=utf-8';
      ctx.body = contractYaml;
      return undefined;
    },
    getDocs: async ({ ctx }) => {
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = DOCS_PAGE;
      return undefined;
    },
    getServerMeta: async () => ({
      status: 200,
      body: {
        name: 'pmkit',
        version: VERSION,
        database: db.kind,
        registration: config.registration,
      },
    }),
  };
}
