-- Leads: a status pipeline per organization, the leads themselves, and their scoring rules.
-- Tenant-owned tables keyed (org_id, id) and joined by composite foreign keys.

-- One row per organization whose default pipeline was created (lazily, on first use), so a
-- pipeline its users emptied is not seeded again.
CREATE TABLE lead_pipelines (
  org_id uuid PRIMARY KEY REFERENCES orgs (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE lead_statuses (
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL,
  -- What the rest of the product reads: conversion counts `won` against `won` + `lost`.
  category text NOT NULL CHECK (category IN ('open', 'won', 'lost')),
  position integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id)
);
CREATE UNIQUE INDEX lead_statuses_name_idx ON lead_statuses (org_id, lower(name));
CREATE INDEX lead_statuses_position_idx ON lead_statuses (org_id, position, id);

CREATE TABLE leads (
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL,
  email text,
  -- Lower-cased e-mail and E.164 phone: what duplicates are matched on.
  email_norm text,
  phone text,
  phone_norm text,
  company text,
  title text,
  source text,
  status_id uuid NOT NULL,
  owner_id uuid REFERENCES users (id) ON DELETE SET NULL,
  score integer NOT NULL DEFAULT 0,
  score_breakdown jsonb NOT NULL DEFAULT '[]',
  tags text[] NOT NULL DEFAULT '{}',
  notes text NOT NULL DEFAULT '',
  next_follow_up_at timestamptz,
  -- The follow-up a notification was sent for, so each due date notifies once.
  follow_up_notified_at timestamptz,
  lost_reason text,
  preferences jsonb NOT NULL DEFAULT '{}',
  custom_fields jsonb NOT NULL DEFAULT '{}',
  -- The import (and its row) that wrote this lead last: a rerun of a crashed import skips rows
  -- already written.
  import_id uuid,
  import_row integer,
  -- The import that last wrote (created or updated) this lead.
  last_import_id uuid,
  version integer NOT NULL DEFAULT 1,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz,
  PRIMARY KEY (org_id, id),
  FOREIGN KEY (org_id, status_id) REFERENCES lead_statuses (org_id, id),
  CHECK (email IS NOT NULL OR phone IS NOT NULL)
);
-- Ids are global: /v1/leads/{lead} finds its organization through this.
CREATE UNIQUE INDEX leads_id_idx ON leads (id);
CREATE INDEX leads_org_created_idx ON leads (org_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX leads_org_status_idx ON leads (org_id, status_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX leads_org_owner_idx ON leads (org_id, owner_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX leads_org_source_idx ON leads (org_id, source) WHERE deleted_at IS NULL;
CREATE INDEX leads_org_score_idx ON leads (org_id, score) WHERE deleted_at IS NULL;
CREATE INDEX leads_org_tags_idx ON leads USING gin (tags) WHERE deleted_at IS NULL;
CREATE INDEX leads_email_idx ON leads (org_id, email_norm) WHERE deleted_at IS NULL AND email_norm IS NOT NULL;
CREATE INDEX leads_phone_idx ON leads (org_id, phone_norm) WHERE deleted_at IS NULL AND phone_norm IS NOT NULL;
CREATE INDEX leads_follow_up_idx ON leads (next_follow_up_at)
  WHERE deleted_at IS NULL AND follow_up_notified_at IS NULL AND next_follow_up_at IS NOT NULL;
CREATE UNIQUE INDEX leads_import_row_idx ON leads (org_id, import_id, import_row) WHERE import_id IS NOT NULL;

-- Scoring: a lead scores the sum of the points of the rules it matches (leads.score, with the
-- matching rules in leads.score_breakdown), recomputed set-wise on every write.
CREATE TABLE lead_scoring_rules (
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  description text NOT NULL,
  field text NOT NULL,
  operator text NOT NULL CHECK (operator IN ('equals', 'contains', 'present', 'absent')),
  value text,
  points integer NOT NULL,
  position integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id),
  CHECK (operator IN ('present', 'absent') OR value IS NOT NULL)
);
CREATE INDEX lead_scoring_rules_org_idx ON lead_scoring_rules (org_id, position);

-- A CSV import: progress (updated with each batch, in the batch's transaction) and result. Tied
-- to the caller's Idempotency-Key, so a retry after a crash resumes after `last_row`.
CREATE TABLE lead_imports (
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  idempotency_key text,
  request_hash text,
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'completed', 'failed')),
  options jsonb NOT NULL DEFAULT '{}',
  header text[] NOT NULL DEFAULT '{}',
  ignored_columns text[] NOT NULL DEFAULT '{}',
  -- The last data row whose batch committed.
  last_row integer NOT NULL DEFAULT 0,
  rows_seen integer NOT NULL DEFAULT 0,
  created integer NOT NULL DEFAULT 0,
  updated integer NOT NULL DEFAULT 0,
  skipped integer NOT NULL DEFAULT 0,
  failed integer NOT NULL DEFAULT 0,
  detail text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  PRIMARY KEY (org_id, id)
);
CREATE UNIQUE INDEX lead_imports_id_idx ON lead_imports (id);
CREATE UNIQUE INDEX lead_imports_key_idx ON lead_imports (org_id, created_by, idempotency_key)
  WHERE idempotency_key IS NOT NULL;

CREATE TABLE lead_import_errors (
  org_id uuid NOT NULL,
  import_id uuid NOT NULL,
  row_number integer NOT NULL,
  column_name text,
  message text NOT NULL,
  -- The row's cells as they were read.
  raw text[] NOT NULL,
  PRIMARY KEY (org_id, import_id, row_number),
  FOREIGN KEY (org_id, import_id) REFERENCES lead_imports (org_id, id) ON DELETE CASCADE
);

-- A person's in-app notifications (lead follow-ups that fell due), and whether they also want
-- them by e-mail (no row: yes).
CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('lead.follow_up')),
  lead_id uuid,
  title text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC, id DESC);

CREATE TABLE notification_settings (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  follow_up_email boolean NOT NULL DEFAULT true
);

-- The project a won lead became (declared by the projects migration).
ALTER TABLE projects ADD CONSTRAINT projects_lead_fk FOREIGN KEY (org_id, lead_id) REFERENCES leads (org_id, id);
