import createFetchClient, { type Client } from 'openapi-fetch';
import { Credentials, type Session, type SessionTokens } from './credentials.js';
import { defaultFetch } from './default-fetch.js';
import { errorFromResponse } from './errors.js';
import type { paths } from './generated/schema.js';
import { type ApiKeysResource, apiKeysResource } from './resources/api-keys.js';
import { type AuditResource, auditResource } from './resources/audit.js';
import { type AuthResource, authResource } from './resources/auth.js';
import { type InvitationsResource, invitationsResource } from './resources/invitations.js';
import { type LeadsResource, leadsResource } from './resources/leads.js';
import { type MeResource, meResource } from './resources/me.js';
import { type MembersResource, membersResource } from './resources/members.js';
import { type NotificationsResource, notificationsResource } from './resources/notifications.js';
import { type OrgsResource, orgsResource } from './resources/orgs.js';
import { type ProjectsResource, projectsResource } from './resources/projects.js';
import { type ReportsResource, reportsResource } from './resources/reports.js';
import type { ResourceContext } from './resources/shared.js';
import { type SystemResource, systemResource } from './resources/system.js';
import { type TasksResource, tasksResource } from './resources/tasks.js';
import {
  type RatesResource,
  ratesResource,
  type TimeEntriesResource,
  type TimeLocksResource,
  type TimerResource,
  type TimeSettingsResource,
  timeEntriesResource,
  timeLocksResource,
  timerResource,
  timeSettingsResource,
} from './resources/time.js';
import { defaultRetryPolicy, type RetryOptions } from './retry.js';
import { createTransport, type FetchLike } from './transport.js';

export const SDK_VERSION = '0.1.0';

export interface ClientOptions {
  baseUrl: string;
  /** An access token (JWT). */
  token?: string;
  /** An API key (`pmk_…`); takes precedence over `token` and `session`. */
  apiKey?: string;
  /** A session that refreshes itself when the server answers 401 `Token expired`. */
  session?: SessionTokens;
  /** Called whenever the client adopts a new session: login, register, refresh. */
  onSession?: (session: Session) => void | Promise<void>;
  /** Sent as `PM-Org`: the organization keys are resolved in. */
  org?: string;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** `false` disables retries. */
  retry?: RetryOptions | false;
  /** Prepended to the SDK's own User-Agent. */
  userAgent?: string;
}

export interface PmClient {
  /** The typed openapi-fetch client; non-2xx answers throw PmError here too. */
  raw: Client<paths>;
  /** The bearer token currently sent, if any. */
  accessToken(): string | undefined;
  system: SystemResource;
  auth: AuthResource;
  me: MeResource;
  orgs: OrgsResource;
  members: MembersResource;
  invitations: InvitationsResource;
  apiKeys: ApiKeysResource;
  audit: AuditResource;
  projects: ProjectsResource;
  tasks: TasksResource;
  leads: LeadsResource;
  notifications: NotificationsResource;
  reports: ReportsResource;
  /** The caller's timer: `pm.timer.start({ task: 'WEB-42' })`. */
  timer: TimerResource;
  timeEntries: TimeEntriesResource;
  timeLocks: TimeLocksResource;
  timeSettings: TimeSettingsResource;
  /** Projects' hourly rates, and their members'. */
  rates: RatesResource;
}

export function createClient(options: ClientOptions): PmClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl: FetchLike = options.fetch
    ? (url, init) => (options.fetch as typeof fetch)(url, init)
    : defaultFetch;
  const userAgent = [options.userAgent, `pmkit-sdk/${SDK_VERSION}`].filter(Boolean).join(' ');
  const headers: Record<string, string> = { 'user-agent': userAgent, ...options.headers };
  if (options.org) headers['pm-org'] = options.org;

  const exchange = async (refreshToken: string): Promise<Session> => {
    const response = await fetchImpl(`${baseUrl}/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': userAgent },
      body: JSON.stringify({ refreshToken }),
    });
    if (!response.ok) throw await errorFromResponse(response);
    return (await response.json()) as Session;
  };
  const credentials = new Credentials(options, exchange, options.onSession);
  const retry = options.retry === false ? false : { ...defaultRetryPolicy, ...options.retry };
  const raw = createFetchClient<paths>({
    baseUrl,
    fetch: createTransport({ fetch: fetchImpl, retry, credentials, headers }),
  });

  const context: ResourceContext = {
    raw,
    adopt: async (session: Session) => {
      await credentials.adopt(session);
      return session;
    },
    clear: () => credentials.clear(),
  };

  return {
    raw,
    accessToken: () => credentials.bearer(),
    system: systemResource(context),
    auth: authResource(context),
    me: meResource(context),
    orgs: orgsResource(context),
    members: membersResource(context),
    invitations: invitationsResource(context),
    apiKeys: apiKeysResource(context),
    audit: auditResource(context),
    projects: projectsResource(context),
    tasks: tasksResource(context),
    leads: leadsResource(context),
    notifications: notificationsResource(context),
    reports: reportsResource(context),
    timer: timerResource(context),
    timeEntries: timeEntriesResource(context),
    timeLocks: timeLocksResource(context),
    timeSettings: timeSettingsResource(context),
    rates: ratesResource(context),
  };
}
