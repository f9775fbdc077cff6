export { type ClientOptions, createClient, type PmClient, SDK_VERSION } from './client.js';
export type { SessionTokens } from './credentials.js';
export {
  isPmError,
  NETWORK_ERROR_TYPE,
  PmError,
  PmNetworkError,
  type Problem,
  type ProblemFieldError,
} from './errors.js';
export type { components, operations, paths } from './generated/schema.js';
export { type Page, type Paginated, type PaginateOptions, paginate } from './paginate.js';
export type { ApiKeysResource } from './resources/api-keys.js';
export type { AuditQuery, AuditResource } from './resources/audit.js';
export type { AuthResource } from './resources/auth.js';
export type { InvitationsResource } from './resources/invitations.js';
export type {
  LeadFiltersResource,
  LeadImportOptions,
  LeadImportsResource,
  LeadListQuery,
  LeadScoringRulesResource,
  LeadStatusesResource,
  LeadsResource,
} from './resources/leads.js';
export type { MeResource } from './resources/me.js';
export type { MembersResource } from './resources/members.js';
export type { NotificationsResource } from './resources/notifications.js';
export type { OrgsResource } from './resources/orgs.js';
export type {
  FieldsResource,
  MilestonesResource,
  ProjectTemplatesResource,
} from './resources/project-parts.js';
export type {
  ProjectListQuery,
  ProjectsResource,
  StatusesResource,
  UpdateOptions,
} from './resources/projects.js';
export type { ReportsResource, TimeReportQuery } from './resources/reports.js';
export type { SystemResource } from './resources/system.js';
export type { TaskFilters, TaskListQuery, TasksResource } from './resources/tasks.js';
export type {
  RatesResource,
  TimeEntriesResource,
  TimeEntryQuery,
  TimeLocksResource,
  TimerResource,
  TimeSettingsResource,
} from './resources/time.js';
export type { RetryOptions } from './retry.js';
export { isScope, SCOPES } from './scopes.js';
export { type BodySource, streamedBody } from './streams.js';
export type * from './types.js';
