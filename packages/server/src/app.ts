import Koa from 'koa';
import type { Logger } from 'pino';
import type { ServerConfig } from './config.js';
import type { Database } from './db/types.js';
import { contract } from './generated/contract.js';
import { contractRouter } from './http/contract-router.js';
import { ContractValidator, type OpenApiDocument } from './http/contract-validator.js';
import { errorBoundary } from './http/error-boundary.js';
import type { Handlers } from './http/handler-types.js';
import { idempotency } from './http/idempotency.js';
import { requestContext } from './http/request-context.js';
import type { Clock } from './lib/clock.js';
import { authenticate } from './modules/auth/authenticate.js';
import { authHandlers } from './modules/auth/routes.js';
import { AuthService } from './modules/auth/service.js';
import { AccessTokens } from './modules/auth/tokens.js';
import { orgHandlers } from './modules/orgs/routes.js';
import { OrgService } from './modules/orgs/service.js';
import { docsAssets } from './modules/system/docs.js';
import { systemHandlers } from './modules/system/routes.js';

export interface AppDeps {
  db: Database;
  config: ServerConfig;
  clock: Clock;
  logger: Logger;
}

let sharedValidator: ContractValidator | undefined;

/** Compiling the contract's schemas is the costly part of start-up; do it once per process. */
export function contractValidator(): ContractValidator {
  sharedValidator ??= new ContractValidator(contract as unknown as OpenApiDocument);
  return sharedValidator;
}

/** Builds the Koa app from its dependencies without listening; servers and tests both use it. */
export function createApp(deps: AppDeps): Koa {
  const { db, config, clock, logger } = deps;
  const tokens = new AccessTokens(db, clock, config.accessTokenTtlSeconds, config.jwtSecret);
  const auth = new AuthService(db, tokens, config);
  const orgs = new OrgService(db);

  const handlers: Handlers = {
    ...systemHandlers(db, config),
    ...authHandlers(auth),
    ...orgHandlers(orgs),
  };
  const router = contractRouter({
    validator: contractValidator(),
    handlers,
    bodyLimit: config.bodyLimit,
    stages: [authenticate(auth), idempotency(db, config.idempotencyTtlHours)],
  });

  const app = new Koa({ proxy: false });
  app.silent = true;
  app.use(requestContext(logger));
  app.use(errorBoundary());
  app.use(docsAssets());
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
