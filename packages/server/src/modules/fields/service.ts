import type { components } from '@pmkit/sdk/schema';
import { isUuid } from '../../context/located.js';
import type { OrgContext } from '../../context/org.js';
import type { Database, Queryable } from '../../db/types.js';
import { badRequest, type FieldError, HttpError, notFound } from '../../http/problem.js';
import type { Clock } from '../../lib/clock.js';
import { recordEvent } from '../../lib/events.js';
import type { MemberService } from '../members/service.js';
import type { Change, ProjectService } from '../projects/service.js';
import * as store from './store.js';

type ProjectField = components['schemas']['ProjectField'];
type CreateField = components['schemas']['CreateProjectFieldRequest'];
type UpdateField = components['schemas']['UpdateProjectFieldRequest'];
export type FieldValue = components['schemas']['FieldValue'];
export type FieldRow = store.FieldRow;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const toField = (row: store.FieldRow): ProjectField => ({
  id: row.id,
  projectId: row.project_id,
  name: row.name,
  type: row.type,
  options: row.options,
  required: row.required,
  default: (row.default_value ?? null) as FieldValue,
  position: row.position,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

function validDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return (
    y >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
  );
}

/** Why `value` does not fit the definition (a message naming the field), or undefined. */
function misfit(
  def: Pick<store.FieldRow, 'name' | 'type' | 'options'>,
  value: unknown,
): string | undefined {
  const quote = (v: unknown) => JSON.stringify(v);
  switch (def.type) {
    case 'text':
      return typeof value === 'string' ? undefined : `${def.name} takes text`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? undefined
        : `${def.name} takes a number`;
    case 'date':
      return typeof value === 'string' && validDate(value)
        ? undefined
        : `${def.name} takes a date (YYYY-MM-DD)`;
    case 'select':
      if (typeof value !== 'string') return `${def.name} takes one of ${def.options.join(', ')}`;
      return def.options.includes(value)
        ? undefined
        : `${def.name}: ${quote(value)} is not one of ${def.options.join(', ')}`;
    case 'multi_select': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
        return `${def.name} takes a list of ${def.options.join(', ')}`;
      }
      const wrong = value.filter((v) => !def.options.includes(v as string));
      if (wrong.length > 0) {
        return `${def.name}: ${wrong.map(quote).join(', ')} not among ${def.options.join(', ')}`;
      }
      return new Set(value).size === value.length ? undefined : `${def.name} repeats an option`;
    }
    case 'user':
      return typeof value === 'string' && isUuid(value)
        ? undefined
        : `${def.name} takes the id of a member of the organization`;
  }
}

/** The JSON pointer of a key of `fields` in the request body. */
const pointer = (key: string) => `/body/fields/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;

const CHOICES = new Set(['select', 'multi_select']);

function checkOptions(type: store.FieldType, options: readonly string[] | undefined) {
  if (CHOICES.has(type) && (!options || options.length === 0)) {
    throw badRequest(`A ${type} field needs options`, [
      { path: '/body/options', message: `a ${type} field needs at least one option` },
    ]);
  }
  if (!CHOICES.has(type) && options && options.length > 0) {
    throw badRequest(`A ${type} field takes no options`, [
      { path: '/body/options', message: `only select and multi_select fields take options` },
    ]);
  }
}

const nameTaken = (name: string) =>
  new HttpError(409, `This project already has a field named ${name}`, {
    type: 'field-name-taken',
    errors: [{ path: '/body/name', message: 'is taken' }],
  });

export class FieldService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly projects: ProjectService,
    private readonly members: MemberService,
  ) {}

  /** A project's definitions, for other modules inside their transaction. */
  definitions(q: Queryable, org: OrgContext, projectId: string): Promise<store.FieldRow[]> {
    return store.listFields(q, org.id, projectId);
  }

  /** 400 naming `path` unless `value` fits the definition (user: a member of the org). */
  private async checkDefault(
    q: Queryable,
    org: OrgContext,
    def: Pick<store.FieldRow, 'name' | 'type' | 'options'>,
    value: unknown,
  ) {
    if (value === null || value === undefined) return;
    const wrong = misfit(def, value);
    if (!wrong && def.type === 'user') {
      const strangers = await this.members.nonMembers(q, org.id, [value as string]);
      if (strangers.length > 0) {
        throw badRequest(`The default of ${def.name} is not a member`, [
          {
            path: '/body/default',
            message: `${def.name}: ${value} is not a member of the organization`,
          },
        ]);
      }
    }
    if (wrong) {
      throw badRequest(`The default of ${def.name} is not a valid value`, [
        { path: '/body/default', message: wrong },
      ]);
    }
  }

  /**
   * Checks a task write's `fields` (keyed by field id or name, null clears) against the project's
   * definitions and returns the values to store, keyed by field id. On create (`current`
   * undefined) defaults fill what is not given and required fields must end up with a value.
   */
  async resolve(
    q: Queryable,
    org: OrgContext,
    projectId: string,
    input: Record<string, unknown> | undefined,
    current?: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const creating = current === undefined;
    if (!creating && input === undefined) return current;
    const defs = await store.listFields(q, org.id, projectId);
    if (defs.length === 0 && (!input || Object.keys(input).length === 0)) return current ?? {};
    const byId = new Map(defs.map((def) => [def.id, def]));
    const byName = new Map(defs.map((def) => [def.name.toLowerCase(), def]));
    const values: Record<string, unknown> = { ...(current ?? {}) };
    const errors: FieldError[] = [];
    const failed: string[] = [];
    const fail = (path: string, name: string, message: string) => {
      errors.push({ path, message });
      failed.push(name);
    };
    const seen = new Map<string, string>();
    const users: { key: string; def: store.FieldRow; id: string }[] = [];
    for (const [key, value] of Object.entries(input ?? {})) {
      const path = pointer(key);
      const def = byId.get(key.toLowerCase()) ?? byName.get(key.toLowerCase());
      if (!def) {
        fail(path, key, `${key} is not a custom field of this project`);
        continue;
      }
      if (seen.has(def.id)) {
        fail(path, def.name, `${def.name} is given twice (as ${seen.get(def.id)} too)`);
        continue;
      }
      seen.set(def.id, key);
      if (value === null) {
        if (def.required) fail(path, def.name, `${def.name} is required`);
        else delete values[def.id];
        continue;
      }
      const wrong = misfit(def, value);
      if (wrong) {
        fail(path, def.name, wrong);
        continue;
      }
      if (def.type === 'user') users.push({ key: path, def, id: value as string });
      values[def.id] = value;
    }
    if (users.length > 0) {
      const strangers = new Set(
        await this.members.nonMembers(
          q,
          org.id,
          users.map((u) => u.id),
        ),
      );
      for (const user of users) {
        if (strangers.has(user.id)) {
          fail(
            user.key,
            user.def.name,
            `${user.def.name}: ${user.id} is not a member of the organization`,
          );
        }
      }
    }
    if (creating) {
      for (const def of defs) {
        if (seen.has(def.id)) continue;
        if (def.default_value !== null && def.default_value !== undefined) {
          values[def.id] = def.default_value;
        } else if (def.required) {
          fail(pointer(def.name), def.name, `${def.name} is required`);
        }
      }
    }
    if (errors.length > 0) {
      // The detail names the fields; each error says what is wrong with one.
      const names = [...new Set(failed)];
      throw badRequest(
        `Invalid custom field value${names.length > 1 ? 's' : ''}: ${names.join(', ')}`,
        errors,
      );
    }
    return values;
  }

  async list(org: OrgContext, projectId: string) {
    await this.projects.live(this.db, org, projectId);
    return { items: (await store.listFields(this.db, org.id, projectId)).map(toField) };
  }

  async create(org: OrgContext, projectId: string, input: CreateField, change: Change) {
    checkOptions(input.type, input.options);
    const options = input.options ?? [];
    return this.db.transaction(async (tx) => {
      await this.projects.writable(tx, org, projectId, { lock: true });
      if (isUuid(input.name)) {
        throw badRequest('A field name cannot look like an id', [
          {
            path: '/body/name',
            message: 'must not be a UUID (task writes name fields by id or name)',
          },
        ]);
      }
      await this.checkDefault(
        tx,
        org,
        { name: input.name, type: input.type, options },
        input.default,
      );
      const row = await store.insertField(tx, {
        orgId: org.id,
        projectId,
        name: input.name,
        type: input.type,
        options,
        required: input.required ?? false,
        defaultValue: input.default ?? null,
        now: this.clock.now(),
      });
      if (!row) throw nameTaken(input.name);
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'project_field',
        entityId: row.id,
        action: 'created',
        changes: { projectId, name: row.name, type: row.type },
        meta: change.meta,
      });
      return toField(row);
    });
  }

  private async find(q: Queryable, org: OrgContext, projectId: string, id: string) {
    const row = (await store.listFields(q, org.id, projectId)).find((f) => f.id === id);
    if (!row) throw notFound('No such field in this project');
    return row;
  }

  async update(org: OrgContext, projectId: string, id: string, input: UpdateField, change: Change) {
    return this.db.transaction(async (tx) => {
      await this.projects.writable(tx, org, projectId, { lock: true });
      const before = await this.find(tx, org, projectId, id);
      if (input.options !== undefined) checkOptions(before.type, input.options);
      if (input.name !== undefined && isUuid(input.name)) {
        throw badRequest('A field name cannot look like an id', [
          { path: '/body/name', message: 'must not be a UUID' },
        ]);
      }
      const next = {
        name: input.name ?? before.name,
        options: input.options ?? before.options,
        required: input.required ?? before.required,
        defaultValue: input.default === undefined ? before.default_value : input.default,
      };
      await this.checkDefault(
        tx,
        org,
        { name: next.name, type: before.type, options: next.options },
        next.defaultValue,
      );
      const after = await store.updateField(tx, org.id, id, next, this.clock.now());
      if (!after) throw nameTaken(next.name);
      const old = toField(before) as Record<string, unknown>;
      const neu = toField(after) as Record<string, unknown>;
      const changes: Record<string, unknown> = {};
      for (const name of ['name', 'options', 'required', 'default']) {
        if (JSON.stringify(old[name]) !== JSON.stringify(neu[name])) {
          changes[name] = { old: old[name], new: neu[name] };
        }
      }
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'project_field',
        entityId: id,
        action: 'updated',
        changes,
        meta: change.meta,
      });
      return toField(after);
    });
  }

  async delete(org: OrgContext, projectId: string, id: string, change: Change) {
    await this.db.transaction(async (tx) => {
      await this.projects.writable(tx, org, projectId, { lock: true });
      const field = await this.find(tx, org, projectId, id);
      const cleared = await store.deleteField(tx, org.id, projectId, id, this.clock.now());
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'project_field',
        entityId: id,
        action: 'deleted',
        changes: { projectId, name: field.name, clearedTasks: cleared },
        meta: change.meta,
      });
    });
  }
}
