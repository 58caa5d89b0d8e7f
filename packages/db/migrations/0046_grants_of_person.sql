-- How many live grants a person holds in the whole system (issue 5): a merge of duplicate records
-- moves the merged record's grants, but only those its user sees; one held elsewhere would stay on
-- the merged record and escape the one-live-grant-per-program rule. The merge asks this first and
-- refuses. Answers a count only.
CREATE OR REPLACE FUNCTION niangjia_live_grants_of(person uuid) RETURNS int
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT count(*)::int FROM grants WHERE person_id = person AND status NOT IN ('rejected', 'cancelled') $$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION niangjia_live_grants_of(uuid) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION niangjia_live_grants_of(uuid) TO niangjia_app;
