-- Scope of the compact evaluations (ADR 0004, ADR 0015). A policy snapshot holds rule sets and
-- parameter values, nothing personal, shared by households of many organisations: readable and
-- appendable by the application, never changed. Each household's newest decision follows the
-- household's organisation like the registry's large tables.
ALTER TABLE evaluation_policies ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY evaluation_policies_read ON evaluation_policies FOR SELECT TO niangjia_app USING (true);--> statement-breakpoint
CREATE POLICY evaluation_policies_append ON evaluation_policies FOR INSERT TO niangjia_app WITH CHECK (true);--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON evaluation_policies FROM niangjia_app;--> statement-breakpoint
ALTER TABLE current_evaluations ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY current_evaluations_scope ON current_evaluations TO niangjia_app
  USING (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))))
  WITH CHECK (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))));--> statement-breakpoint
REVOKE DELETE, TRUNCATE ON current_evaluations FROM niangjia_app;
