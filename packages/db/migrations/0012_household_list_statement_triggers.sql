-- The list's copies (0011) kept by statement-level triggers on INSERT: a bulk insert (an import's
-- batch of 1,000 households and archives) updates its copies in one set-based statement instead of
-- one trigger call and one UPDATE per row. A row inserted with its copies already right (the
-- import writes them) is not rewritten at all. Updates and deletes stay row-level (one step, one
-- row), as in 0011.
DROP TRIGGER households_list_copy_on_insert ON households;--> statement-breakpoint
DROP TRIGGER households_list_grams_on_insert ON households;--> statement-breakpoint
CREATE OR REPLACE FUNCTION niangjia_households_inserted() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  -- The name's pieces from the head's record itself (the row's copy may still be the default).
  INSERT INTO household_name_grams (gram, org_id, household_id)
  SELECT g.gram, n.org_id, n.id
  FROM new_households n
  JOIN people p ON p.id = n.head_person_id
  CROSS JOIN LATERAL unnest(niangjia_name_grams(p.name)) AS g(gram)
  ON CONFLICT DO NOTHING;
  -- Copies not given right by the insert (the row trigger on a changed name keeps the pieces).
  UPDATE households h
  SET org_path = o.path, head_name = p.name, head_migrant_worker = p.migrant_worker
  FROM new_households n
  JOIN people p ON p.id = n.head_person_id
  JOIN orgs o ON o.id = n.org_id
  WHERE h.id = n.id
    AND (h.org_path, h.head_name, h.head_migrant_worker) IS DISTINCT FROM (o.path, p.name, p.migrant_worker);
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER households_list_on_insert AFTER INSERT ON households
  REFERENCING NEW TABLE AS new_households
  FOR EACH STATEMENT EXECUTE FUNCTION niangjia_households_inserted();--> statement-breakpoint
DROP TRIGGER archives_household_list ON archives;--> statement-breakpoint
CREATE OR REPLACE FUNCTION niangjia_archives_inserted() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  UPDATE households h
  SET archive_status = a.status, archive_category = a.category,
      archive_causes = coalesce(a.primary_cause || a.secondary_causes, '{}'), archive_urgency = a.urgency
  FROM (SELECT DISTINCT household_id AS id FROM new_archives) x
  LEFT JOIN LATERAL niangjia_current_archive(x.id) a ON true
  WHERE h.id = x.id
    AND (h.archive_status, h.archive_category, h.archive_causes, h.archive_urgency)
        IS DISTINCT FROM (a.status, a.category, coalesce(a.primary_cause || a.secondary_causes, '{}'), a.urgency);
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER archives_household_list_on_insert AFTER INSERT ON archives
  REFERENCING NEW TABLE AS new_archives
  FOR EACH STATEMENT EXECUTE FUNCTION niangjia_archives_inserted();--> statement-breakpoint
CREATE TRIGGER archives_household_list
  AFTER DELETE OR UPDATE OF household_id, status, category, primary_cause, secondary_causes, urgency, created_at
  ON archives FOR EACH ROW EXECUTE FUNCTION niangjia_archives_to_household();
