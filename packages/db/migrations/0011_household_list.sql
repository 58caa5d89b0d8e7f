-- The household list at a million households (ADR 0012). Its filters and its order live on three
-- tables (the organisation's path, the head's name and migrant flag, the current archive's status,
-- category, causes and urgency); the columns added to households in 0010 are their copies, kept
-- here by triggers, so that one table and its indexes answer a page and a capped count. The
-- copies are derived data only: the source rows stay the truth, and
-- niangjia_refresh_household_list() computes every copy again from them.
--
-- The maintenance functions run as their owner (SECURITY DEFINER): a copy must follow its source
-- even when the user who changed the source cannot see the household (row-level security would
-- otherwise skip it silently). They only ever copy; reading stays under the policies.

-- The current archive of a household: its newest.
CREATE OR REPLACE FUNCTION niangjia_current_archive(hid uuid) RETURNS SETOF archives
  LANGUAGE sql STABLE
  AS $$ SELECT * FROM archives WHERE household_id = hid ORDER BY created_at DESC, id DESC LIMIT 1 $$;--> statement-breakpoint
-- The two-character pieces of a name (the name itself when shorter): a fragment of two or more
-- characters is in the name only if each of its pieces is.
CREATE OR REPLACE FUNCTION niangjia_name_grams(name text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT CASE WHEN char_length(name) < 2 THEN array_remove(ARRAY[name], '')
      ELSE ARRAY(SELECT DISTINCT substr(name, i, 2) FROM generate_series(1, char_length(name) - 1) AS i) END
  $$;--> statement-breakpoint
-- Every copy of the households `ids` (all of them when NULL) computed again, set-based: for the
-- backfill below, a bulk load made with triggers off, or a repair.
CREATE OR REPLACE FUNCTION niangjia_refresh_household_list(ids uuid[]) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  UPDATE households h
  SET org_path = s.org_path, head_name = s.head_name, head_migrant_worker = s.head_migrant_worker,
      archive_status = s.status, archive_category = s.category, archive_causes = s.causes,
      archive_urgency = s.urgency
  FROM (
    SELECT h2.id, o.path AS org_path, p.name AS head_name, p.migrant_worker AS head_migrant_worker,
           a.status, a.category, coalesce(a.primary_cause || a.secondary_causes, '{}') AS causes, a.urgency
    FROM households h2
    JOIN orgs o ON o.id = h2.org_id
    JOIN people p ON p.id = h2.head_person_id
    LEFT JOIN LATERAL niangjia_current_archive(h2.id) a ON true
    WHERE ids IS NULL OR h2.id = ANY (ids)
  ) s
  WHERE h.id = s.id
    AND (h.org_path, h.head_name, h.head_migrant_worker, h.archive_status, h.archive_category,
         h.archive_causes, h.archive_urgency)
        IS DISTINCT FROM (s.org_path, s.head_name, s.head_migrant_worker, s.status, s.category, s.causes, s.urgency);
  DELETE FROM household_name_grams g WHERE ids IS NULL OR g.household_id = ANY (ids);
  INSERT INTO household_name_grams (gram, org_id, household_id)
  SELECT g.gram, h.org_id, h.id
  FROM households h CROSS JOIN LATERAL unnest(niangjia_name_grams(h.head_name)) AS g(gram)
  WHERE ids IS NULL OR h.id = ANY (ids);
END
$$;--> statement-breakpoint
-- A new household, or one given another head or organisation: copy the head's and the path.
CREATE OR REPLACE FUNCTION niangjia_households_copy_head() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  -- An unknown head or organisation keeps the defaults: the foreign key then says what is wrong.
  SELECT coalesce(max(p.name), ''), coalesce(bool_or(p.migrant_worker), false)
    INTO NEW.head_name, NEW.head_migrant_worker
    FROM people p WHERE p.id = NEW.head_person_id;
  NEW.org_path := coalesce((SELECT o.path FROM orgs o WHERE o.id = NEW.org_id), '');
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER households_list_copy_on_insert BEFORE INSERT ON households
  FOR EACH ROW EXECUTE FUNCTION niangjia_households_copy_head();--> statement-breakpoint
CREATE TRIGGER households_list_copy_on_update BEFORE UPDATE ON households
  FOR EACH ROW WHEN (OLD.head_person_id IS DISTINCT FROM NEW.head_person_id OR OLD.org_id IS DISTINCT FROM NEW.org_id)
  EXECUTE FUNCTION niangjia_households_copy_head();--> statement-breakpoint
-- The name's pieces follow the head's name and the household's organisation.
CREATE OR REPLACE FUNCTION niangjia_households_name_grams() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM household_name_grams WHERE household_id = OLD.id;
  END IF;
  INSERT INTO household_name_grams (gram, org_id, household_id)
  SELECT g, NEW.org_id, NEW.id FROM unnest(niangjia_name_grams(NEW.head_name)) AS g;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER households_list_grams_on_insert AFTER INSERT ON households
  FOR EACH ROW EXECUTE FUNCTION niangjia_households_name_grams();--> statement-breakpoint
CREATE TRIGGER households_list_grams_on_update AFTER UPDATE ON households
  FOR EACH ROW WHEN (OLD.head_name IS DISTINCT FROM NEW.head_name OR OLD.org_id IS DISTINCT FROM NEW.org_id)
  EXECUTE FUNCTION niangjia_households_name_grams();--> statement-breakpoint
-- An archive written: its household's copy of the current archive follows.
CREATE OR REPLACE FUNCTION niangjia_copy_current_archive(hid uuid) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    UPDATE households h
    SET archive_status = a.status, archive_category = a.category,
        archive_causes = coalesce(a.primary_cause || a.secondary_causes, '{}'), archive_urgency = a.urgency
    FROM (SELECT hid AS id) x LEFT JOIN LATERAL niangjia_current_archive(x.id) a ON true
    WHERE h.id = x.id
      AND (h.archive_status, h.archive_category, h.archive_causes, h.archive_urgency)
          IS DISTINCT FROM (a.status, a.category, coalesce(a.primary_cause || a.secondary_causes, '{}'), a.urgency)
  $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION niangjia_archives_to_household() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM niangjia_copy_current_archive(OLD.household_id);
  END IF;
  IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.household_id IS DISTINCT FROM OLD.household_id) THEN
    PERFORM niangjia_copy_current_archive(NEW.household_id);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER archives_household_list
  AFTER INSERT OR DELETE OR UPDATE OF household_id, status, category, primary_cause, secondary_causes, urgency, created_at
  ON archives FOR EACH ROW EXECUTE FUNCTION niangjia_archives_to_household();--> statement-breakpoint
-- A head renamed, or their migrant flag changed.
CREATE OR REPLACE FUNCTION niangjia_people_to_households() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  UPDATE households SET head_name = NEW.name, head_migrant_worker = NEW.migrant_worker
  WHERE head_person_id = NEW.id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER people_household_list AFTER UPDATE OF name, migrant_worker ON people
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.migrant_worker IS DISTINCT FROM NEW.migrant_worker)
  EXECUTE FUNCTION niangjia_people_to_households();--> statement-breakpoint
-- An organisation moved in the tree (its path and its whole subtree's change).
CREATE OR REPLACE FUNCTION niangjia_orgs_to_households() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  UPDATE households SET org_path = NEW.path WHERE org_id = NEW.id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER orgs_household_list AFTER UPDATE OF path ON orgs
  FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path)
  EXECUTE FUNCTION niangjia_orgs_to_households();--> statement-breakpoint
-- The name pieces are personal data: the household's scope sees them, and only triggers write them.
ALTER TABLE household_name_grams ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY household_name_grams_scope ON household_name_grams FOR SELECT TO niangjia_app
  USING (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))));--> statement-breakpoint
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON household_name_grams FROM niangjia_app;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION niangjia_refresh_household_list(uuid[]), niangjia_copy_current_archive(uuid) FROM PUBLIC;--> statement-breakpoint
SELECT niangjia_refresh_household_list(NULL);
