import type { components } from './generated/schema.js';

type Schemas = components['schemas'];

export type { Session } from './credentials.js';
export type User = Schemas['User'];
export type Org = Schemas['Org'];
export type OrgPage = Schemas['OrgPage'];
export type Role = Schemas['Role'];
export type Health = Schemas['Health'];
export type Readiness = Schemas['Readiness'];
export type ServerMeta = Schemas['ServerMeta'];
export type RegisterRequest = Schemas['RegisterRequest'];
export type LoginRequest = Schemas['LoginRequest'];
export type UpdateMeRequest = Schemas['UpdateMeRequest'];
export type CreateOrgRequest = Schemas['CreateOrgRequest'];
export type UpdateOrgRequest = Schemas['UpdateOrgRequest'];
export type PasswordResetRequest = Schemas['PasswordResetRequest'];
export type PasswordResetConfirm = Schemas['PasswordResetConfirm'];
export type TokenRequest = Schemas['TokenRequest'];
export type ChangePasswordRequest = Schemas['ChangePasswordRequest'];
export type SessionInfo = Schemas['SessionInfo'];
export type SessionInfoPage = Schemas['SessionInfoPage'];
export type Member = Schemas['Member'];
export type MemberPage = Schemas['MemberPage'];
export type UpdateMemberRequest = Schemas['UpdateMemberRequest'];
export type TransferOwnershipRequest = Schemas['TransferOwnershipRequest'];
export type Invitation = Schemas['Invitation'];
export type InvitationPage = Schemas['InvitationPage'];
export type InvitationPreview = Schemas['InvitationPreview'];
export type CreateInvitationRequest = Schemas['CreateInvitationRequest'];
export type Scope = Schemas['Scope'];
export type ApiKey = Schemas['ApiKey'];
export type ApiKeyPage = Schemas['ApiKeyPage'];
export type CreatedApiKey = Schemas['CreatedApiKey'];
export type CreateApiKeyRequest = Schemas['CreateApiKeyRequest'];
export type Lead = Schemas['Lead'];
export type LeadPage = Schemas['LeadPage'];
export type LeadStatus = Schemas['LeadStatus'];
export type LeadImport = Schemas['LeadImport'];
export type LeadStats = Schemas['LeadStats'];
export type Notification = Schemas['Notification'];
export type NotificationSettings = Schemas['NotificationSettings'];
export type LeadScoringRule = Schemas['LeadScoringRule'];
export type CreateLeadScoringRuleRequest = Schemas['CreateLeadScoringRuleRequest'];
export type UpdateLeadScoringRuleRequest = Schemas['UpdateLeadScoringRuleRequest'];
export type LeadImportError = Schemas['LeadImportError'];
export type CreateLeadRequest = Schemas['CreateLeadRequest'];
export type UpdateLeadRequest = Schemas['UpdateLeadRequest'];
export type CreateLeadStatusRequest = Schemas['CreateLeadStatusRequest'];
export type UpdateLeadStatusRequest = Schemas['UpdateLeadStatusRequest'];
export type LeadConversion = Schemas['LeadConversion'];
export type BulkLeadChange = Schemas['BulkLeadChange'];
export type BulkLeadResult = Schemas['BulkLeadResult'];
export type LeadFilter = Schemas['LeadFilter'];
export type LeadFilterQuery = Schemas['LeadFilterQuery'];
export type CreateLeadFilterRequest = Schemas['CreateLeadFilterRequest'];
export type AuditEvent = Schemas['AuditEvent'];
export type AuditPage = Schemas['AuditPage'];
export type Timer = Schemas['Timer'];
export type TimerState = Schemas['TimerState'];
export type StartedTimer = Schemas['StartedTimer'];
export type StartTimerRequest = Schemas['StartTimerRequest'];
export type StopTimerRequest = Schemas['StopTimerRequest'];
export type TimeEntry = Schemas['TimeEntry'];
export type TimeEntryPage = Schemas['TimeEntryPage'];
export type CreateTimeEntryRequest = Schemas['CreateTimeEntryRequest'];
export type UpdateTimeEntryRequest = Schemas['UpdateTimeEntryRequest'];
export type TimeLock = Schemas['TimeLock'];
export type CreateTimeLockRequest = Schemas['CreateTimeLockRequest'];
export type TimeSettings = Schemas['TimeSettings'];
export type UpdateTimeSettingsRequest = Schemas['UpdateTimeSettingsRequest'];
export type ProjectRate = Schemas['ProjectRate'];
export type SetProjectRateRequest = Schemas['SetProjectRateRequest'];
export type Money = Schemas['Money'];
export type Project = Schemas['Project'];
export type ProjectPage = Schemas['ProjectPage'];
export type ProjectState = Schemas['ProjectState'];
export type CreateProjectRequest = Schemas['CreateProjectRequest'];
export type UpdateProjectRequest = Schemas['UpdateProjectRequest'];
export type WorkflowStatus = Schemas['WorkflowStatus'];
export type StatusCategory = Schemas['StatusCategory'];
export type CreateStatusRequest = Schemas['CreateStatusRequest'];
export type UpdateStatusRequest = Schemas['UpdateStatusRequest'];
export type Task = Schemas['Task'];
export type TaskPage = Schemas['TaskPage'];
export type TaskCounts = Schemas['TaskCounts'];
export type TaskDependencies = Schemas['TaskDependencies'];
export type TaskLink = Schemas['TaskLink'];
export type TaskActivity = Schemas['TaskActivity'];
export type CriticalPath = Schemas['CriticalPath'];
export type BulkTaskChange = Schemas['BulkTaskChange'];
export type BulkTaskResult = Schemas['BulkTaskResult'];
export type Priority = Schemas['Priority'];
export type CreateTaskRequest = Schemas['CreateTaskRequest'];
export type UpdateTaskRequest = Schemas['UpdateTaskRequest'];
export type FieldType = Schemas['FieldType'];
export type FieldValue = Schemas['FieldValue'];
export type ProjectField = Schemas['ProjectField'];
export type CreateProjectFieldRequest = Schemas['CreateProjectFieldRequest'];
export type UpdateProjectFieldRequest = Schemas['UpdateProjectFieldRequest'];
export type Milestone = Schemas['Milestone'];
export type MilestoneProgress = Schemas['MilestoneProgress'];
export type CreateMilestoneRequest = Schemas['CreateMilestoneRequest'];
export type UpdateMilestoneRequest = Schemas['UpdateMilestoneRequest'];
export type ProjectTemplate = Schemas['ProjectTemplate'];
export type CreateProjectTemplateRequest = Schemas['CreateProjectTemplateRequest'];
export type TimeReport = Schemas['TimeReport'];
export type ReportGroup = Schemas['ReportGroup'];
export type ReportTotals = Schemas['ReportTotals'];
export type Rounding = Schemas['Rounding'];
/** What a time report groups by. */
export type ReportDimension =
  | 'project'
  | 'task'
  | 'user'
  | 'client'
  | 'label'
  | 'day'
  | 'week'
  | 'month';

export interface WriteOptions {
  /** Sent as `Idempotency-Key`; a fresh UUID is used when omitted. */
  idempotencyKey?: string;
}

export interface ListQuery {
  limit?: number;
  cursor?: string;
}
