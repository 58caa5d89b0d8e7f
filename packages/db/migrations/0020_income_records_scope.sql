-- Scope of the income records (ADR 0004), as the registry's large tables; appended, never changed.
ALTER TABLE income_records ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY income_records_scope ON income_records TO niangjia_app
  USING (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))))
  WITH CHECK (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))));--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON income_records FROM niangjia_app;
