-- The household's copies of its current archive (0011) follow an UPDATE or a DELETE of archives by
-- statement, as they already follow an INSERT (0012): a bulk re-evaluation that derives the urgency
-- of half a million archives is one UPDATE of their households, not half a million (each of which
-- also fired the households' own statement triggers once).
DROP TRIGGER archives_household_list ON archives;--> statement-breakpoint
CREATE OR REPLACE FUNCTION niangjia_archives_changed() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE households h
    SET archive_status = a.status, archive_category = a.category,
        archive_causes = coalesce(a.primary_cause || a.secondary_causes, '{}'), archive_urgency = a.urgency
    FROM (SELECT DISTINCT household_id AS id FROM old_rows) x
    LEFT JOIN LATERAL niangjia_current_archive(x.id) a ON true
    WHERE h.id = x.id
      AND (h.archive_status, h.archive_category, h.archive_causes, h.archive_urgency)
          IS DISTINCT FROM (a.status, a.category, coalesce(a.primary_cause || a.secondary_causes, '{}'), a.urgency);
  ELSE
    UPDATE households h
    SET archive_status = a.status, archive_category = a.category,
        archive_causes = coalesce(a.primary_cause || a.secondary_causes, '{}'), archive_urgency = a.urgency
    FROM (
      SELECT n.household_id AS id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.household_id, n.status, n.category, n.primary_cause, n.secondary_causes, n.urgency, n.created_at)
        IS DISTINCT FROM (o.household_id, o.status, o.category, o.primary_cause, o.secondary_causes, o.urgency, o.created_at)
      UNION
      SELECT o.household_id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE n.household_id IS DISTINCT FROM o.household_id
    ) x
    LEFT JOIN LATERAL niangjia_current_archive(x.id) a ON true
    WHERE h.id = x.id
      AND (h.archive_status, h.archive_category, h.archive_causes, h.archive_urgency)
          IS DISTINCT FROM (a.status, a.category, coalesce(a.primary_cause || a.secondary_causes, '{}'), a.urgency);
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER archives_household_list_on_update AFTER UPDATE ON archives
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION niangjia_archives_changed();--> statement-breakpoint
CREATE TRIGGER archives_household_list_on_delete AFTER DELETE ON archives
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION niangjia_archives_changed();
