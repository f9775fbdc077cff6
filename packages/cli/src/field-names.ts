/**
 * How the server's field paths read on the command line. A 400 lists invalid fields by JSON
 * path (`/body/name`); a person typed flags and arguments, so each command names its fields here,
 * in one place. A path matches its own entry or its parent's (`/body/scopes/0` → `--scope`).
 */
type FieldNames = Record<string, string>;

// What most commands share: the organization is --org, a page size is --limit.
const common: FieldNames = {
  '/path/org': '--org',
  '/header/pm-org': '--org',
  '/query/limit': '--limit',
  '/query/cursor': '--limit',
};

const password = 'the password (typed, or from --password-stdin)';

const projectFields: FieldNames = {
  '/body/description': '--description',
  '/body/status': '--status',
  '/body/startDate': '--start',
  '/body/dueDate': '--due',
  '/body/budgetHours': '--budget-hours',
  '/body/budget': '--budget',
  '/body/clientName': '--client',
};

const taskFields: FieldNames = {
  '/body/description': '--description',
  '/body/statusId': '--status',
  '/body/priority': '--priority',
  '/body/assigneeIds': '--assignee',
  '/body/labels': '--label',
  '/body/estimateMinutes': '--estimate',
  '/body/startDate': '--start',
  '/body/dueDate': '--due',
  '/body/parentId': '--parent',
  '/body/fields': '--field',
  '/body/milestoneId': '--milestone',
};

/** Keyed by the command's path below `pm`, as typed: `auth register`, `org create`. */
const commands: Record<string, FieldNames> = {
  'auth register': {
    '/body/email': '--email',
    '/body/name': '--name',
    '/body/password': password,
    '/body/invitationToken': '--invitation',
  },
  'auth login': { '/body/email': '--email', '/body/password': password },
  'auth reset': {
    '/body/email': '--email',
    '/body/token': '--token',
    '/body/password': 'the new password',
  },
  'auth verify': { '/body/token': '<token>' },
  'auth password': {
    '/body/currentPassword': 'the current password',
    '/body/newPassword': 'the new password',
  },
  'auth sessions revoke': { '/path/session': '<id>' },
  'org create': { '/body/name': '<name>', '/body/slug': '--slug' },
  'org rename': { '/body/name': '<name>', '/body/slug': '--slug' },
  'org invite': { '/body/email': '<email>', '/body/role': '--role' },
  'org role': { '/path/user': '<member>', '/body/role': '<role>' },
  'org remove': { '/path/user': '<member>' },
  'org transfer': { '/body/userId': '<member>' },
  'org switch': { '/path/org': '<slug>' },
  'invite accept': { '/path/token': '<token>' },
  'invite decline': { '/path/token': '<token>' },
  'invite revoke': { '/path/invitation': '<id>' },
  'invite resend': { '/path/invitation': '<id>' },
  'apikey create': {
    '/body/name': '--name',
    '/body/scopes': '--scope',
    '/body/expiresAt': '--expires',
  },
  'apikey revoke': { '/path/key': '<id>' },
  'project create': {
    '/body/key': '<key>',
    '/body/name': '<name>',
    '/body/templateId': '--template',
    ...projectFields,
  },
  'project template save': {
    '/body/projectId': '[project]',
    '/body/name': '--name',
    '/body/description': '--description',
  },
  'project field add': {
    '/body/name': '<name>',
    '/body/type': '<type>',
    '/body/options': '--option',
    '/body/default': '--default',
  },
  'project field update': {
    '/body/name': '--name',
    '/body/options': '--option',
    '/body/default': '--default',
  },
  'project milestone add': {
    '/body/name': '<name>',
    '/body/dueDate': '--due',
    '/body/description': '--description',
  },
  'project milestone update': {
    '/body/name': '--name',
    '/body/dueDate': '--due',
    '/body/description': '--description',
  },
  'project update': { '/body/name': '--name', ...projectFields },
  'project show': { '/path/project': '[project]' },
  'project use': { '/path/project': '<project>' },
  'task list': {
    '/path/project': '--project',
    '/query/status': '--status',
    '/query/category': '--status',
    '/query/assignee': '--assignee',
    '/query/label': '--label',
    '/query/priority': '--priority',
    '/query/parent': '--parent',
    '/query/dueBefore': '--due-before',
    '/query/dueAfter': '--due-after',
    '/query/q': '--search',
    '/query/milestone': '--milestone',
    '/query/field': '--field',
    '/query/sort': '--sort',
  },
  'task create': { '/path/project': '--project', '/body/title': '<title>', ...taskFields },
  'task update': { '/path/task': '[task]', '/body/title': '--title', ...taskFields },
  'task assign': { '/path/task': '[task]', '/body/assigneeIds': '--add' },
  'report time': {
    '/query/from': '--from',
    '/query/to': '--to',
    '/query/tz': '--tz',
    '/query/groupBy': '--group-by',
    '/query/projects': '--project',
    '/query/users': '--user',
    '/query/tags': '--tag',
    '/query/rounding': '--rounding',
    '/query/roundTo': '--round-to',
    '/query/paper': '--paper',
  },
  'lead create': {
    '/body/name': '<name>',
    '/body/email': '--email',
    '/body/phone': '--phone',
    '/body/status': '--status',
    '/body/ownerId': '--owner',
    '/body/nextFollowUpAt': '--follow-up',
    '/body/tags': '--tag',
  },
  'lead update': {
    '/path/lead': '<id>',
    '/body/name': '--name',
    '/body/email': '--email',
    '/body/phone': '--phone',
    '/body/status': '--status',
    '/body/ownerId': '--owner',
    '/body/nextFollowUpAt': '--follow-up',
    '/body/tags': '--tag',
  },
  'lead show': { '/path/lead': '<id>' },
  'notifications read': { '/path/notification': '<id>' },
  'lead import': { '/body': '<file>', '/query/map': '--map', '/query/region': '--region' },
  'lead delete': { '/path/lead': '<id>' },
  'lead list': {
    '/query/status': '--status',
    '/query/owner': '--owner',
    '/query/source': '--source',
    '/query/tag': '--tag',
    '/query/q': '--search',
    '/query/sort': '--sort',
    '/query/scoreMin': '--score-min',
    '/query/scoreMax': '--score-max',
  },
  'lead convert': {
    '/path/lead': '<lead>',
    '/body/key': '--key',
    '/body/name': '--name',
    '/body/templateId': '--template',
    ...projectFields,
  },
  'lead bulk': {
    '/body/leads': '<leads...>',
    '/body/change/status': '--status',
    '/body/change/ownerId': '--owner',
    '/body/change/tags/add': '--tag',
    '/body/change/tags/remove': '--untag',
  },
  'lead filter save': {
    '/body/name': '<name>',
    '/body/query/status': '--status',
    '/body/query/owner': '--owner',
    '/body/query/source': '--source',
    '/body/query/tag': '--tag',
    '/body/query/scoreMin': '--score-min',
    '/body/query/scoreMax': '--score-max',
    '/body/query/q': '--search',
  },
  audit: {
    '/query/action': '--action',
    '/query/actor': '--actor',
    '/query/since': '--since',
    '/query/until': '--until',
  },
};

/**
 * The flag or argument behind a server field path for `command`; a path no entry covers is shown
 * as the field's own name (`/body/name` → `name`), never as a JSON path.
 */
export function fieldName(command: string, path: string): string {
  const names = { ...common, ...commands[command] };
  for (let p = path; p.lastIndexOf('/') > 0; p = p.slice(0, p.lastIndexOf('/'))) {
    const name = names[p];
    if (name) return name;
  }
  const parts = path.split('/').filter(Boolean);
  return parts.slice(1).join('.') || parts[0] || path;
}
