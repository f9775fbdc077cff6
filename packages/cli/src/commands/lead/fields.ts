import type { UpdateLeadRequest } from '@pmkit/sdk';
import { type Command, InvalidArgumentError } from 'commander';
import { collect } from '../../args.js';

/** A JSON object argument (`--preferences '{"bedrooms":3}'`). */
export function jsonObject(value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new InvalidArgumentError('expected a JSON object, such as \'{"budget":450000}\'');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidArgumentError('expected a JSON object, such as \'{"budget":450000}\'');
  }
  return parsed as Record<string, unknown>;
}

export interface LeadFieldOptions {
  name?: string;
  email?: string;
  phone?: string;
  company?: string;
  title?: string;
  source?: string;
  status?: string;
  owner?: string;
  tag?: string[];
  notes?: string;
  followUp?: string;
  lostReason?: string;
  preferences?: Record<string, unknown>;
  customFields?: Record<string, unknown>;
}

/** The flags of `pm lead create` and `pm lead update`. */
export function leadFieldOptions(command: Command): Command {
  return command
    .option('--email <email>', 'e-mail address')
    .option('--phone <phone>', 'phone number (international form matches best: +33 6…)')
    .option('--company <company>', 'company')
    .option('--title <title>', 'job title')
    .option('--source <source>', 'where the lead came from, such as referral')
    .option('--status <status>', 'a status of the pipeline (pm lead statuses)')
    .option('--owner <member>', 'owner: a member id (default: you)')
    .option('--tag <tag>', 'a tag; repeat for more', collect)
    .option('--notes <text>', 'notes')
    .option('--follow-up <time>', 'next follow-up, an ISO date-time')
    .option('--lost-reason <text>', 'why it was lost')
    .option('--preferences <json>', 'free-form preferences, a JSON object', jsonObject)
    .option('--custom-fields <json>', 'custom fields, a JSON object', jsonObject);
}

/** The request body for the flags given (an empty string clears an optional field on update). */
export function leadBody(options: LeadFieldOptions): UpdateLeadRequest {
  const text = (value: string | undefined) => (value === '' ? null : value);
  const body: UpdateLeadRequest = {};
  if (options.name !== undefined) body.name = options.name;
  if (options.email !== undefined) body.email = text(options.email);
  if (options.phone !== undefined) body.phone = text(options.phone);
  if (options.company !== undefined) body.company = text(options.company);
  if (options.title !== undefined) body.title = text(options.title);
  if (options.source !== undefined) body.source = text(options.source);
  if (options.status !== undefined) body.status = options.status;
  if (options.owner !== undefined) body.ownerId = text(options.owner);
  if (options.tag !== undefined) body.tags = options.tag;
  if (options.notes !== undefined) body.notes = options.notes;
  if (options.followUp !== undefined) body.nextFollowUpAt = text(options.followUp);
  if (options.lostReason !== undefined) body.lostReason = text(options.lostReason);
  if (options.preferences !== undefined) body.preferences = options.preferences;
  if (options.customFields !== undefined) body.customFields = options.customFields;
  return body;
}
