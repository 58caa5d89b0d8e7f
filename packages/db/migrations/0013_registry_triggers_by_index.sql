-- The list's statement-level triggers (0012) by index lookups, whatever the statistics say. Their
-- joins of a batch (1,000 rows) to people and households were planned as hash joins over whole
-- tables whenever the statistics were old, which they always are during a bulk import (the embedded
-- database has no autovacuum, and a server's lags): an import of 100,000 households spent most of
-- its time scanning people and households once per batch. A scalar subquery is never turned into a
-- join: it stays one lookup by primary key per row. Rows whose copies the insert already wrote
-- right (an import's) cost these lookups and nothing else.
CREATE OR REPLACE FUNCTION niangjia_households_inserted() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  -- The name's pieces from the row's copy, or from the head's record when the copy is the default.
  -- A new household has none yet, and a name's pieces are distinct: nothing can conflict.
  INSERT INTO household_name_grams (gram, org_id, household_id)
  SELECT g.gram, n.org_id, n.id
  FROM new_households n
  CROSS JOIN LATERAL unnest(niangjia_name_grams(coalesce(
    nullif(n.head_name, ''), (SELECT p.name FROM people p WHERE p.id = n.head_person_id)))) AS g(gram);
  -- Copies not given right by the insert (the row trigger on a changed name keeps the pieces).
  UPDATE households h
  SET org_path = c.path, head_name = c.name, head_migrant_worker = c.migrant_worker
  FROM (
    SELECT x.id, x.path, (x.head).name, (x.head).migrant_worker
    FROM (
      SELECT n.id, n.org_path, n.head_name, n.head_migrant_worker,
             (SELECT o.path FROM orgs o WHERE o.id = n.org_id) AS path,
             (SELECT p FROM people p WHERE p.id = n.head_person_id) AS head
      FROM new_households n
      OFFSET 0 -- kept a subquery: pulled up, each (x.head).field would look the head up again
    ) x
    WHERE (x.org_path, x.head_name, x.head_migrant_worker)
          IS DISTINCT FROM (x.path, (x.head).name, (x.head).migrant_worker)
  ) c
  WHERE h.id = c.id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION niangjia_archives_inserted() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  UPDATE households h
  SET archive_status = c.status, archive_category = c.category, archive_causes = c.causes,
      archive_urgency = c.urgency
  FROM (
    SELECT x.id, a.status, a.category, coalesce(a.primary_cause || a.secondary_causes, '{}') AS causes, a.urgency
    FROM (SELECT DISTINCT household_id AS id FROM new_archives) x
    LEFT JOIN LATERAL niangjia_current_archive(x.id) a ON true
    WHERE (SELECT ROW(h2.archive_status, h2.archive_category, h2.archive_causes, h2.archive_urgency)
           FROM households h2 WHERE h2.id = x.id)
          IS DISTINCT FROM ROW(a.status, a.category, coalesce(a.primary_cause || a.secondary_causes, '{}'), a.urgency)
  ) c
  WHERE h.id = c.id;
  RETURN NULL;
END
$$;--> statement-breakpoint
-- The audit trail's policies with the scope's organisations computed once per statement (an
-- InitPlan), as the registry's tables have them since 0006, instead of a lookup of the row's
-- organisation per row: an import's batch writes a thousand entries in one statement.
DROP POLICY audit_read ON audit_log;--> statement-breakpoint
CREATE POLICY audit_read ON audit_log FOR SELECT TO niangjia_app
  USING (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))));--> statement-breakpoint
DROP POLICY audit_append ON audit_log;--> statement-breakpoint
CREATE POLICY audit_append ON audit_log FOR INSERT TO niangjia_app
  WITH CHECK (org_id IS NULL OR org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))));
