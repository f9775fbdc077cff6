import type Koa from 'koa';
import type { Logger } from 'pino';
import type { ServerConfig } from './config.js';
import type { Database } from './db/types.js';
import { contract } from './generated/contract.js';
import { contractRouter } from './http/contract-router.js';
import { ContractValidator, type OpenApiDocument } from './http/contract-validator.js';
import type { Handlers } from './http/handler-types.js';
import { createHttpApp } from './http/http-app.js';
import { idempotency } from './http/idempotency.js';
import { apiRateLimit, type RateLimitStore, RateLimits } from './http/rate-limit.js';
import type { Clock } from './lib/clock.js';
import { authorize } from './modules/access/authorize.js';
import { CredentialCache } from './modules/access/credential-cache.js';
import { apiKeyHandlers } from './modules/apikeys/routes.js';
import { ApiKeyService } from './modules/apikeys/service.js';
import { auditHandlers } from './modules/audit/routes.js';
import { AuditService } from './modules/audit/service.js';
import { AccountService } from './modules/auth/account-service.js';
import { authenticate } from './modules/auth/authenticate.js';
import { authHandlers } from './modules/auth/routes.js';
import { AuthService } from './modules/auth/service.js';
import { AccessTokens } from './modules/auth/tokens.js';
import { fieldHandlers } from './modules/fields/routes.js';
import { FieldService } from './modules/fields/service.js';
import { invitationHandlers } from './modules/invitations/routes.js';
import { InvitationService } from './modules/invitations/service.js';
import { BulkLeadService } from './modules/leads/bulk.js';
import { LeadConversionService } from './modules/leads/convert.js';
import { LeadFilterService } from './modules/leads/filters.js';
import { LeadImportService } from './modules/leads/import-service.js';
import { leadFilterHandlers, leadHandlers, leadWorkHandlers } from './modules/leads/routes.js';
import { LeadService } from './modules/leads/service.js';
import type { Notifier } from './modules/mail/notifier.js';
import { memberHandlers } from './modules/members/routes.js';
import { MemberService } from './modules/members/service.js';
import { milestoneHandlers } from './modules/milestones/routes.js';
import { MilestoneService } from './modules/milestones/service.js';
import { notificationHandlers } from './modules/notifications/routes.js';
import { NotificationService } from './modules/notifications/service.js';
import { orgHandlers } from './modules/orgs/routes.js';
import { OrgService } from './modules/orgs/service.js';
import { ProjectLocator } from './modules/projects/locator.js';
import { projectHandlers } from './modules/projects/routes.js';
import { ProjectService } from './modules/projects/service.js';
import { reportHandlers } from './modules/reports/routes.js';
import { ReportService } from './modules/reports/service.js';
import { docsAssets } from './modules/system/docs.js';
import { systemHandlers } from './modules/system/routes.js';
import { BulkTaskService } from './modules/tasks/bulk.js';
import { DependencyService } from './modules/tasks/dependencies.js';
import { TaskLocator } from './modules/tasks/locator.js';
import { bulkHandlers, dependencyHandlers, taskHandlers } from './modules/tasks/routes.js';
import { TaskService } from './modules/tasks/service.js';
import { templateHandlers } from './modules/templates/routes.js';
import { TemplateService } from './modules/templates/service.js';
import { TimeEntryService } from './modules/time/entries.js';
import { TimeEntryLocator } from './modules/time/locator.js';
import { timeHandlers } from './modules/time/routes.js';
import { TimeSettingsService } from './modules/time/settings.js';
import { TimerService } from './modules/time/timer.js';

export interface AppDeps {
  db: Database;
  config: ServerConfig;
  clock: Clock;
  logger: Logger;
  /** Woken after a transaction queued work; the server's job worker. */
  mail?: Notifier;
  /** Where rate-limit counters live: this process's memory by default, or Redis. */
  rateLimitStore?: RateLimitStore;
  /** Sessions, keys and roles seen lately; the server makes it listen to other instances. */
  credentials?: CredentialCache;
  /** The URL links in mail point to, when the config does not set one. */
  url?: string;
  /** Aborted when shutdown begins; long-lived responses end on it. */
  shutdown?: AbortSignal;
}

let sharedValidator: ContractValidator | undefined;

/** Compiling the contract's schemas is the costly part of start-up; do it once per process. */
export function contractValidator(): ContractValidator {
  sharedValidator ??= new ContractValidator(contract as unknown as OpenApiDocument);
  return sharedValidator;
}

const HEALTHY = JSON.stringify({ status: 'ok' });

/**
 * `GET /health` answered before routing: probes call it every few seconds on every instance, it
 * takes no input to validate, and its answer never changes (the contract's getHealth).
 */
function liveness(): Koa.Middleware {
  return async function liveness(ctx, next) {
    if (ctx.path !== '/health' || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = HEALTHY;
  };
}

/** Builds the Koa app from its dependencies without listening; servers and tests both use it. */
export function createApp(deps: AppDeps): Koa {
  const { db, config, clock, logger } = deps;
  const mail = deps.mail ?? { nudge() {} };
  const publicUrl = config.publicUrl ?? deps.url ?? `http://${config.host}:${config.port}`;
  const limits = new RateLimits(
    deps.rateLimitStore ?? { kind: 'memory' },
    config.rateLimits,
    clock,
  );

  const credentials =
    deps.credentials ?? new CredentialCache(clock, { crossInstance: db.kind === 'postgresql' });
  const tokens = new AccessTokens(db, clock, config.accessTokenTtlSeconds, config.jwtSecret);
  const orgs = new OrgService(db, credentials);
  const members = new MemberService(db, credentials, clock);
  const account = new AccountService(
    db,
    mail,
    {
      publicUrl,
      passwordHashCost: config.passwordHashCost,
    },
    credentials,
    clock,
  );
  const invitations = new InvitationService(db, mail, publicUrl, clock, { account, members, orgs });
  const auth = new AuthService(db, tokens, config, {
    account,
    invitations,
    mail,
    cache: credentials,
    clock,
  });
  const apiKeys = new ApiKeyService(db, () => clock.now(), credentials);
  const projects = new ProjectService(db, clock);
  const fields = new FieldService(db, clock, projects, members);
  const milestones = new MilestoneService(db, clock, projects);
  const templates = new TemplateService(db, clock, projects);
  const tasks = new TaskService(db, clock, projects, members, fields, milestones);
  const leads = new LeadService(db, clock, { members });

  const handlers: Handlers = {
    ...systemHandlers(db, config),
    ...authHandlers(auth, account, limits),
    ...orgHandlers(orgs),
    ...memberHandlers(members, orgs),
    ...invitationHandlers(invitations),
    ...apiKeyHandlers(apiKeys),
    ...auditHandlers(new AuditService(db)),
    ...projectHandlers(projects, (org, principal, body, change) =>
      templates.createProject(org, principal, body, change),
    ),
    ...fieldHandlers(fields),
    ...milestoneHandlers(milestones),
    ...templateHandlers(templates),
    ...taskHandlers(tasks),
    ...dependencyHandlers(new DependencyService(db, clock, projects)),
    ...bulkHandlers(new BulkTaskService(db, clock, members, projects)),
    ...leadHandlers(leads, new LeadImportService(db, clock, leads)),
    ...leadWorkHandlers(
      new BulkLeadService(db, clock, leads, members),
      new LeadConversionService(projects, templates),
    ),
    ...leadFilterHandlers(new LeadFilterService(db, clock)),
    ...notificationHandlers(new NotificationService(db, clock)),
    ...reportHandlers(new ReportService(db), clock),
    ...timeHandlers({
      timer: new TimerService(db, clock),
      entries: new TimeEntryService(db, clock),
      settings: new TimeSettingsService(db, clock),
    }),
  };
  const router = contractRouter({
    validator: contractValidator(),
    handlers,
    bodyLimits: { json: config.bodyLimit, streamed: config.uploadLimit },
    stages: [
      authenticate(auth, apiKeys),
      apiRateLimit(limits),
      authorize(orgs, {
        project: new ProjectLocator(projects, clock),
        task: new TaskLocator(tasks, clock),
        lead: leads,
        entry: new TimeEntryLocator(db, clock),
      }),
      idempotency(db, {
        ttlHours: config.idempotencyTtlHours,
        leaseSeconds: config.idempotencyLeaseSeconds,
        now: () => clock.now(),
      }),
    ],
  });

  return createHttpApp({
    logger,
    router,
    accessLog: config.accessLog,
    early: [liveness()],
    before: [docsAssets()],
    ...(deps.shutdown ? { shutdown: deps.shutdown } : {}),
  });
}
