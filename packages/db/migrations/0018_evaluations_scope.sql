-- Scope of the evaluations (ADR 0004), as the registry's large tables: the scope's organisations
-- computed once per statement, so that a bulk re-evaluation's batch is checked set-based.
ALTER TABLE evaluations ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY evaluations_scope ON evaluations TO niangjia_app
  USING (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))))
  WITH CHECK (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))));--> statement-breakpoint
-- A decision is history: appended, never changed.
REVOKE UPDATE, DELETE, TRUNCATE ON evaluations FROM niangjia_app;
