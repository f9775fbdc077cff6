-- Projects and tasks. Every table is tenant-owned: keyed (org_id, id) and joined by composite
-- foreign keys, so no row can point into another organization whatever the code does.

CREATE TABLE projects (
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  -- Immutable once created: task keys (WEB-42) and caches of key -> id rely on it.
  key text NOT NULL CHECK (key ~ '^[A-Z][A-Z0-9]{1,9}$'),
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'on_hold', 'completed')),
  start_date date,
  due_date date,
  budget_hours numeric(12, 2) CHECK (budget_hours >= 0),
  budget_amount numeric(14, 2) CHECK (budget_amount >= 0),
  budget_currency text CHECK (budget_currency ~ '^[A-Z]{3}$'),
  client_name text,
  -- The lead the project came from; the leads migration adds its foreign key.
  lead_id uuid,
  -- The last task number handed out: a task create increments it under the row lock, so keys
  -- are never reused and concurrent creates on any number of instances get consecutive numbers.
  task_seq integer NOT NULL DEFAULT 0,
  version integer NOT NULL DEFAULT 1,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  archived_at timestamptz,
  deleted_at timestamptz,
  PRIMARY KEY (org_id, id),
  CHECK ((budget_amount IS NULL) = (budget_currency IS NULL))
);
-- Ids are global: a route given only a project id finds its organization through this.
CREATE UNIQUE INDEX projects_id_idx ON projects (id);
-- A key stays reserved by a deleted project, so an old WEB-42 never names a new task.
CREATE UNIQUE INDEX projects_org_key_idx ON projects (org_id, key);
CREATE INDEX projects_org_created_idx ON projects (org_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;

-- A project's workflow: ordered statuses, each in a category the rest of the product reads.
CREATE TABLE project_statuses (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL,
  name text NOT NULL,
  category text NOT NULL CHECK (category IN ('backlog', 'unstarted', 'started', 'completed', 'cancelled')),
  position integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX project_statuses_name_idx ON project_statuses (org_id, project_id, lower(name));
CREATE INDEX project_statuses_project_idx ON project_statuses (org_id, project_id, position);

-- Custom field definitions; task values live in tasks.fields (JSONB keyed by field id).
CREATE TABLE project_fields (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL,
  name text NOT NULL,
  type text NOT NULL CHECK (type IN ('text', 'number', 'date', 'select', 'multi_select', 'user')),
  options text[] NOT NULL DEFAULT '{}',
  required boolean NOT NULL DEFAULT false,
  default_value jsonb,
  position integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX project_fields_name_idx ON project_fields (org_id, project_id, lower(name));

CREATE TABLE milestones (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  due_date date,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id) ON DELETE CASCADE
);
CREATE INDEX milestones_project_idx ON milestones (org_id, project_id, created_at, id) WHERE deleted_at IS NULL;

-- A template is a snapshot (workflow, fields, milestones, task tree, dates relative to its start),
-- so later changes to the project it was saved from do not change it.
CREATE TABLE project_templates (
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  source_project_id uuid,
  snapshot jsonb NOT NULL,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (org_id, id)
);
CREATE INDEX project_templates_org_created_idx ON project_templates (org_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;

CREATE TABLE tasks (
  org_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  project_id uuid NOT NULL,
  number integer NOT NULL CHECK (number > 0),
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  status_id uuid NOT NULL,
  -- 0 none, 1 low, 2 medium, 3 high, 4 urgent: a number so that sorting by priority is an index.
  priority smallint NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 4),
  labels text[] NOT NULL DEFAULT '{}',
  estimate_minutes integer CHECK (estimate_minutes >= 0),
  start_date date,
  due_date date,
  -- Sort keys must be NOT NULL for keyset pages: tasks without a due date sort last.
  due_sort date GENERATED ALWAYS AS (COALESCE(due_date, 'infinity'::date)) STORED,
  milestone_id uuid,
  parent_id uuid,
  depth smallint NOT NULL DEFAULT 0 CHECK (depth BETWEEN 0 AND 7),
  -- Manual order: a fractional index compared bytewise.
  position text COLLATE "C" NOT NULL,
  fields jsonb NOT NULL DEFAULT '{}'::jsonb,
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', description), 'B')
  ) STORED,
  version integer NOT NULL DEFAULT 1,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  deleted_at timestamptz,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, status_id) REFERENCES project_statuses (org_id, id),
  FOREIGN KEY (org_id, milestone_id) REFERENCES milestones (org_id, id),
  FOREIGN KEY (org_id, parent_id) REFERENCES tasks (org_id, id),
  CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE UNIQUE INDEX tasks_id_idx ON tasks (id);
-- Numbers stay unique with deleted tasks too: a key is never reused.
CREATE UNIQUE INDEX tasks_project_number_idx ON tasks (org_id, project_id, number);
-- List pages: one index per offered sort, live tasks only.
CREATE INDEX tasks_project_created_idx ON tasks (org_id, project_id, number DESC) WHERE deleted_at IS NULL;
CREATE INDEX tasks_project_updated_idx ON tasks (org_id, project_id, updated_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX tasks_project_position_idx ON tasks (org_id, project_id, position, id) WHERE deleted_at IS NULL;
CREATE INDEX tasks_project_priority_idx ON tasks (org_id, project_id, priority DESC, number DESC) WHERE deleted_at IS NULL;
CREATE INDEX tasks_project_due_idx ON tasks (org_id, project_id, due_sort, number) WHERE deleted_at IS NULL;
CREATE INDEX tasks_status_idx ON tasks (org_id, status_id, number DESC) WHERE deleted_at IS NULL;
CREATE INDEX tasks_milestone_idx ON tasks (org_id, milestone_id) WHERE deleted_at IS NULL AND milestone_id IS NOT NULL;
CREATE INDEX tasks_parent_idx ON tasks (org_id, parent_id, position) WHERE parent_id IS NOT NULL;
CREATE INDEX tasks_labels_idx ON tasks USING gin (labels);
CREATE INDEX tasks_search_idx ON tasks USING gin (search);

-- Assignees are members: removing someone from the organization unassigns them.
CREATE TABLE task_assignees (
  org_id uuid NOT NULL,
  task_id uuid NOT NULL,
  user_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, task_id, user_id),
  FOREIGN KEY (org_id, task_id) REFERENCES tasks (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, user_id) REFERENCES org_members (org_id, user_id) ON DELETE CASCADE
);
CREATE INDEX task_assignees_user_idx ON task_assignees (org_id, user_id, task_id);

-- blocker_id blocks blocked_id. Writes take the organization's dependency lock, so two links
-- that together close a cycle cannot both pass the check.
CREATE TABLE task_dependencies (
  org_id uuid NOT NULL,
  blocker_id uuid NOT NULL,
  blocked_id uuid NOT NULL,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, blocker_id, blocked_id),
  FOREIGN KEY (org_id, blocker_id) REFERENCES tasks (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, blocked_id) REFERENCES tasks (org_id, id) ON DELETE CASCADE,
  CHECK (blocker_id <> blocked_id)
);
CREATE INDEX task_dependencies_blocked_idx ON task_dependencies (org_id, blocked_id, blocker_id);
