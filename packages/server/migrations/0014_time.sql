-- Time tracking. A running timer is a time entry without an end, so "one running timer per
-- person" is a unique partial index: no number of terminals, hooks or server instances starting
-- timers at once can leave two.

CREATE TABLE time_settings (
  org_id uuid PRIMARY KEY REFERENCES orgs (id) ON DELETE CASCADE,
  default_rate numeric(14, 2) CHECK (default_rate >= 0),
  default_currency text CHECK (default_currency ~ '^[A-Z]{3}$'),
  allow_overlap boolean NOT NULL DEFAULT false,
  viewers_see_reports boolean NOT NULL DEFAULT false,
  long_timer_minutes integer NOT NULL DEFAULT 600 CHECK (long_timer_minutes BETWEEN 15 AND 10080),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((default_rate IS NULL) = (default_currency IS NULL))
);

-- A project's own hourly rate (user_id NULL) and its members' rates in it.
CREATE TABLE project_rates (
  org_id uuid NOT NULL,
  project_id uuid NOT NULL,
  user_id uuid,
  rate numeric(14, 2) NOT NULL CHECK (rate >= 0),
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (org_id, project_id, user_id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id) ON DELETE CASCADE,
  FOREIGN KEY (org_id, user_id) REFERENCES org_members (org_id, user_id) ON DELETE CASCADE
);

CREATE TABLE time_entries (
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  project_id uuid,
  task_id uuid,
  note text NOT NULL DEFAULT '',
  tags text[] NOT NULL DEFAULT '{}',
  billable boolean NOT NULL DEFAULT false,
  started_at timestamptz NOT NULL,
  -- NULL while the entry is a running timer.
  ended_at timestamptz,
  -- Closed stretches of running time, [{"start": …, "end": …}], in order.
  segments jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- A timer's open stretch began here; NULL when paused (and for finished entries).
  running_since timestamptz,
  -- The closed segments' total: a finished entry's worked time.
  duration_seconds integer NOT NULL DEFAULT 0 CHECK (duration_seconds >= 0),
  -- Resolved when the entry is written; rate_source says from where.
  rate numeric(14, 2) CHECK (rate >= 0),
  currency text CHECK (currency ~ '^[A-Z]{3}$'),
  rate_source text CHECK (rate_source IN ('entry', 'member', 'project', 'org')),
  amount numeric(16, 2),
  long_notified_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id),
  FOREIGN KEY (org_id, task_id) REFERENCES tasks (org_id, id),
  CHECK (ended_at IS NULL OR ended_at >= started_at),
  CHECK ((rate IS NULL) = (currency IS NULL))
);
-- Ids are global: `/v1/time-entries/{entry}` finds its organization through this.
CREATE UNIQUE INDEX time_entries_id_idx ON time_entries (id);
CREATE UNIQUE INDEX time_entries_one_timer_idx ON time_entries (user_id)
  WHERE ended_at IS NULL AND deleted_at IS NULL;
CREATE INDEX time_entries_user_idx ON time_entries (org_id, user_id, started_at DESC, id DESC)
  WHERE deleted_at IS NULL;
CREATE INDEX time_entries_org_idx ON time_entries (org_id, started_at DESC, id DESC)
  WHERE deleted_at IS NULL;
CREATE INDEX time_entries_project_idx ON time_entries (org_id, project_id, started_at)
  WHERE deleted_at IS NULL;
-- The long-timer sweep reads running timers only.
CREATE INDEX time_entries_running_idx ON time_entries (started_at)
  WHERE ended_at IS NULL AND deleted_at IS NULL AND long_notified_at IS NULL;

-- A locked period: entries that started in [starts_at, ends_at) change only by an Admin.
CREATE TABLE time_locks (
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  from_date date NOT NULL,
  to_date date NOT NULL,
  timezone text NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  note text NOT NULL DEFAULT '',
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  CHECK (to_date >= from_date)
);
CREATE INDEX time_locks_org_idx ON time_locks (org_id, starts_at, ends_at);
CREATE INDEX time_locks_created_idx ON time_locks (org_id, created_at DESC, id DESC);
