-- A won lead converted into a project: when, and into which (the project names the lead back in
-- projects.lead_id). Both set together, once.
ALTER TABLE leads ADD COLUMN converted_at timestamptz;
ALTER TABLE leads ADD COLUMN project_id uuid;
ALTER TABLE leads ADD CONSTRAINT leads_project_fk
  FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id);
ALTER TABLE leads ADD CONSTRAINT leads_converted_check
  CHECK ((converted_at IS NULL) = (project_id IS NULL));
-- One project per lead, whatever races.
CREATE UNIQUE INDEX projects_lead_idx ON projects (org_id, lead_id) WHERE lead_id IS NOT NULL;

-- A person's saved lead filters: a name and the query of the lead list, private to them.
CREATE TABLE lead_filters (
  org_id uuid NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  query jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, id)
);
CREATE UNIQUE INDEX lead_filters_name_idx ON lead_filters (org_id, user_id, lower(name));
