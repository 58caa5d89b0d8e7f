-- Scope of the registry (ADR 0004). For tables that grow to millions of rows the policy compares
-- org_id with the array of the scope's organisations, computed once per statement (an InitPlan),
-- so that an index on org_id serves it; a per-row function call would not scale.
CREATE OR REPLACE FUNCTION niangjia_scope_org_ids() RETURNS uuid[]
  LANGUAGE sql STABLE
  AS $$ SELECT coalesce(array_agg(id), '{}') FROM orgs WHERE starts_with(path, niangjia_scope_path()) $$;--> statement-breakpoint
ALTER TABLE employers ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE people ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE households ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE household_members ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE archives ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE archive_steps ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE publicity_objections ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE visits ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE duplicate_candidates ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY employers_scope ON employers TO niangjia_app
  USING (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))))
  WITH CHECK (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))));--> statement-breakpoint
CREATE POLICY people_scope ON people TO niangjia_app
  USING (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))))
  WITH CHECK (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))));--> statement-breakpoint
CREATE POLICY households_scope ON households TO niangjia_app
  USING (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))))
  WITH CHECK (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))));--> statement-breakpoint
CREATE POLICY archives_scope ON archives TO niangjia_app
  USING (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))))
  WITH CHECK (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))));--> statement-breakpoint
CREATE POLICY visits_scope ON visits TO niangjia_app
  USING (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))))
  WITH CHECK (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))));--> statement-breakpoint
CREATE POLICY duplicate_candidates_scope ON duplicate_candidates TO niangjia_app
  USING (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))))
  WITH CHECK (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))));--> statement-breakpoint
-- Rows that belong to a household or an archive follow it (the parent's policy applies inside).
CREATE POLICY household_members_scope ON household_members TO niangjia_app
  USING (EXISTS (SELECT 1 FROM households h WHERE h.id = household_id))
  WITH CHECK (EXISTS (SELECT 1 FROM households h WHERE h.id = household_id));--> statement-breakpoint
CREATE POLICY archive_steps_scope ON archive_steps TO niangjia_app
  USING (EXISTS (SELECT 1 FROM archives a WHERE a.id = archive_id))
  WITH CHECK (EXISTS (SELECT 1 FROM archives a WHERE a.id = archive_id));--> statement-breakpoint
CREATE POLICY publicity_objections_scope ON publicity_objections TO niangjia_app
  USING (EXISTS (SELECT 1 FROM archives a WHERE a.id = archive_id))
  WITH CHECK (EXISTS (SELECT 1 FROM archives a WHERE a.id = archive_id));--> statement-breakpoint
-- The life cycle's steps are history: appended, never changed.
REVOKE UPDATE, DELETE, TRUNCATE ON archive_steps FROM niangjia_app;--> statement-breakpoint
-- A person may be head or member of a household outside the scope: whoever adds them must learn
-- of the conflict (issue 3) without seeing the other household. This answers only that.
CREATE OR REPLACE FUNCTION niangjia_open_household_of(person uuid) RETURNS TABLE (org_code text, org_name text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT o.code, o.name
    FROM households h
    JOIN orgs o ON o.id = h.org_id
    WHERE (h.head_person_id = person OR EXISTS (SELECT 1 FROM household_members m WHERE m.household_id = h.id AND m.person_id = person))
      AND EXISTS (SELECT 1 FROM archives a WHERE a.household_id = h.id AND a.status NOT IN ('exited', 'refused'))
  $$;--> statement-breakpoint
-- One record per person in the whole system: whoever registers an ID number must learn that it
-- is already kept, and by which organisation, even outside the scope. This answers only that.
CREATE OR REPLACE FUNCTION niangjia_person_keeper(id_no text) RETURNS TABLE (person_id uuid, org_code text, org_name text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT p.id, o.code, o.name FROM people p JOIN orgs o ON o.id = p.org_id WHERE p.id_number = id_no
  $$;--> statement-breakpoint
-- Only request code calls these, and nobody else may.
REVOKE EXECUTE ON FUNCTION niangjia_open_household_of(uuid), niangjia_person_keeper(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION niangjia_open_household_of(uuid), niangjia_person_keeper(text) TO niangjia_app;
