-- Scope of the policy tables (ADR 0004). Rows are read and written in the user's subtree like
-- every scoped table. A value in force for a household may come from an organisation above the
-- user's (the region's 低保 line, the national multipliers), whose rows and whose organisation a
-- scoped user cannot see: the two functions below answer that, for an organisation in scope only.
ALTER TABLE policy_parameters ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE policy_rule_sets ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY policy_parameters_scope ON policy_parameters TO niangjia_app
  USING (niangjia_in_scope(org_id)) WITH CHECK (niangjia_in_scope(org_id));--> statement-breakpoint
CREATE POLICY policy_rule_sets_scope ON policy_rule_sets TO niangjia_app
  USING (niangjia_in_scope(org_id)) WITH CHECK (niangjia_in_scope(org_id));--> statement-breakpoint
-- A version is history once a decision may have read it: closed (valid_to set), never deleted.
REVOKE DELETE, TRUNCATE ON policy_parameters, policy_rule_sets FROM niangjia_app;--> statement-breakpoint
-- Every version of every parameter set for the organisation or an organisation above it, with the
-- setter's code and its depth (the longer the path, the nearer): empty outside the caller's scope.
CREATE OR REPLACE FUNCTION niangjia_policy_parameter_versions(org uuid)
  RETURNS TABLE (id uuid, key text, value bigint, org_code text, org_name text, depth integer,
                 valid_from date, valid_to date, source text, created_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT p.id, p.key, p.value, a.code, a.name, length(a.path), p.valid_from, p.valid_to, p.source, p.created_at
    FROM orgs t
    JOIN orgs a ON starts_with(t.path, a.path)
    JOIN policy_parameters p ON p.org_id = a.id
    WHERE t.id = org AND starts_with(t.path, niangjia_scope_path())
  $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION niangjia_policy_rule_set_versions(org uuid)
  RETURNS TABLE (id uuid, rule_set text, options jsonb, org_code text, org_name text, depth integer,
                 valid_from date, valid_to date, source text, created_at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT r.id, r.rule_set, r.options, a.code, a.name, length(a.path), r.valid_from, r.valid_to, r.source, r.created_at
    FROM orgs t
    JOIN orgs a ON starts_with(t.path, a.path)
    JOIN policy_rule_sets r ON r.org_id = a.id
    WHERE t.id = org AND starts_with(t.path, niangjia_scope_path())
  $$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION niangjia_policy_parameter_versions(uuid), niangjia_policy_rule_set_versions(uuid) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION niangjia_policy_parameter_versions(uuid), niangjia_policy_rule_set_versions(uuid) TO niangjia_app;
