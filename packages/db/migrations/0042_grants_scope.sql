-- Scope of funds, programs and grants (ADR 0004): the organisation that runs and pays them, and
-- those above it. Nothing of them is ever deleted: a grant is rejected or cancelled, with its history.
ALTER TABLE funds ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY funds_scope ON funds TO niangjia_app
  USING (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))))
  WITH CHECK (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))));--> statement-breakpoint
ALTER TABLE programs ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY programs_scope ON programs TO niangjia_app
  USING (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))))
  WITH CHECK (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))));--> statement-breakpoint
ALTER TABLE grants ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY grants_scope ON grants TO niangjia_app
  USING (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))))
  WITH CHECK (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))));--> statement-breakpoint
REVOKE DELETE, TRUNCATE ON funds, programs, grants FROM niangjia_app;
