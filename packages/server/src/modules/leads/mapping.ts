import { z } from 'zod';
import { badRequest } from '../../http/problem.js';
import { normalizeEmail, normalizePhone } from './normalize.js';

export const IMPORT_FIELDS = [
  'name',
  'firstName',
  'lastName',
  'email',
  'phone',
  'company',
  'title',
  'source',
  'status',
  'tags',
  'notes',
  'nextFollowUpAt',
  'lostReason',
] as const;
type Field = (typeof IMPORT_FIELDS)[number];

/** Header spellings of other tools' exports, compared lower-cased without spaces and punctuation. */
const ALIASES: Record<string, Field> = {
  name: 'name',
  fullname: 'name',
  contactname: 'name',
  leadname: 'name',
  nom: 'name',
  firstname: 'firstName',
  givenname: 'firstName',
  prenom: 'firstName',
  lastname: 'lastName',
  surname: 'lastName',
  familyname: 'lastName',
  email: 'email',
  emailaddress: 'email',
  mail: 'email',
  courriel: 'email',
  workemail: 'email',
  phone: 'phone',
  phonenumber: 'phone',
  mobile: 'phone',
  mobilephone: 'phone',
  telephone: 'phone',
  tel: 'phone',
  company: 'company',
  companyname: 'company',
  organization: 'company',
  organisation: 'company',
  account: 'company',
  accountname: 'company',
  societe: 'company',
  title: 'title',
  jobtitle: 'title',
  position: 'title',
  source: 'source',
  leadsource: 'source',
  status: 'status',
  leadstatus: 'status',
  stage: 'status',
  tags: 'tags',
  labels: 'tags',
  notes: 'notes',
  note: 'notes',
  description: 'notes',
  comments: 'notes',
  nextfollowup: 'nextFollowUpAt',
  nextfollowupat: 'nextFollowUpAt',
  followup: 'nextFollowUpAt',
  followupdate: 'nextFollowUpAt',
  lostreason: 'lostReason',
};

const squash = (header: string) =>
  header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/** What each column feeds: a field, a custom field (`custom.budget`), or nothing. */
export type ColumnTarget = { field: Field } | { custom: string } | null;

/** Parses `E-mail=email,Nom=name,Budget=custom.budget` (400 naming `map` when malformed). */
export function parseMap(map: string | undefined): Map<string, ColumnTarget> {
  const targets = new Map<string, ColumnTarget>();
  if (!map) return targets;
  for (const pair of map.split(',')) {
    const at = pair.lastIndexOf('=');
    const header = pair.slice(0, at).trim();
    const field = pair.slice(at + 1).trim();
    const invalid = (message: string) =>
      badRequest(`The map is not Header=field pairs: ${message}`, [
        { path: '/query/map', message },
      ]);
    if (at <= 0 || !header || !field) throw invalid(`"${pair}" is not Header=field`);
    if (field === 'ignore') targets.set(squash(header), null);
    else if (field.startsWith('custom.') && field.length > 7) {
      targets.set(squash(header), { custom: field.slice(7) });
    } else if ((IMPORT_FIELDS as readonly string[]).includes(field)) {
      targets.set(squash(header), { field: field as Field });
    } else {
      throw invalid(`"${field}" is not a lead field (${IMPORT_FIELDS.join(', ')}, custom.<name>)`);
    }
  }
  return targets;
}

export interface Mapping {
  targets: ColumnTarget[];
  header: string[];
  ignored: string[];
  /** The header of the first column feeding a field, for error messages. */
  columnOf: Partial<Record<Field | 'contact', string>>;
}

/** The columns of a header row, by explicit map first, then by alias. */
export function mapHeader(header: string[], explicit: Map<string, ColumnTarget>): Mapping {
  const targets = header.map((h): ColumnTarget => {
    const key = squash(h);
    if (explicit.has(key)) return explicit.get(key)!;
    const field = ALIASES[key];
    return field ? { field } : null;
  });
  const columnOf: Mapping['columnOf'] = {};
  targets.forEach((t, i) => {
    if (t && 'field' in t) columnOf[t.field] ??= header[i]!;
  });
  const ignored = header.filter((_, i) => targets[i] === null);
  const hasName = columnOf.name || columnOf.firstName || columnOf.lastName;
  const missing = [
    ...(hasName ? [] : ['a name (Name, or First Name and Last Name)']),
    ...(columnOf.email || columnOf.phone ? [] : ['an e-mail or a phone']),
  ];
  if (missing.length) {
    throw badRequest(`No column for ${missing.join(' nor ')}: map one with map=Header=field`, [
      { path: '/query/map', message: `no column for ${missing.join(' nor ')}` },
    ]);
  }
  columnOf.contact = columnOf.email ?? columnOf.phone;
  return { targets, header, ignored, columnOf };
}

const optional = (max: number) => z.string().max(max).optional();

const RowSchema = z
  .object({
    name: z.string().min(1, 'is required').max(200),
    email: z.email('is not an e-mail address').max(254).optional(),
    phone: z.string().max(40).regex(/\d/, 'has no digits').optional(),
    company: optional(200),
    title: optional(200),
    source: optional(100),
    status: optional(100),
    tags: z.array(z.string().max(50)).max(50).optional(),
    notes: optional(20000),
    nextFollowUpAt: z
      .string()
      .refine((v) => !Number.isNaN(Date.parse(v)), 'is not a date')
      .optional(),
    lostReason: optional(1000),
  })
  .refine((row) => row.email || row.phone, {
    message: 'a lead needs an e-mail or a phone',
    path: ['contact'],
  });

export type ImportRow = z.infer<typeof RowSchema> & {
  emailNorm: string | null;
  phoneNorm: string | null;
  customFields: Record<string, string>;
};

export type RowResult =
  | { ok: true; lead: ImportRow }
  | { ok: false; column: string | null; message: string };

/** One data row to a lead's fields, validated (zod) and normalised. */
export function readRow(cells: string[], mapping: Mapping, region?: string): RowResult {
  if (cells.length !== mapping.header.length) {
    return {
      ok: false,
      column: null,
      message: `has ${cells.length} fields; the header has ${mapping.header.length}`,
    };
  }
  const raw: Record<string, unknown> = {};
  const customFields: Record<string, string> = {};
  let first = '';
  let last = '';
  mapping.targets.forEach((target, i) => {
    // A leading quote before a formula-like start is how our errors.csv neutralised it: drop it.
    const value = cells[i]!.trim().replace(/^'(?=[=+\-@])/, '');
    if (!target || value === '') return;
    if ('custom' in target) customFields[target.custom] = value;
    else if (target.field === 'firstName') first = value;
    else if (target.field === 'lastName') last = value;
    else if (target.field === 'tags') {
      raw.tags = [
        ...new Set(
          value
            .split(/[,;|]/)
            .map((t) => t.trim())
            .filter(Boolean),
        ),
      ];
    } else raw[target.field] ??= value;
  });
  if (raw.name === undefined && (first || last)) raw.name = `${first} ${last}`.trim();
  const parsed = RowSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? '') as Field | 'contact';
    const column =
      field === 'name'
        ? (mapping.columnOf.name ?? mapping.columnOf.firstName ?? null)
        : (mapping.columnOf[field] ?? null);
    const message = issue.code === 'invalid_type' ? 'is required' : issue.message;
    return { ok: false, column, message };
  }
  const lead = parsed.data;
  return {
    ok: true,
    lead: {
      ...lead,
      emailNorm: normalizeEmail(lead.email),
      phoneNorm: normalizePhone(lead.phone, region),
      customFields,
    },
  };
}
