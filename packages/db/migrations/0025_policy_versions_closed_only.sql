-- A policy version is history once a decision may have read it (ADR 0015): the application may
-- only close an open-ended one (valid_to from NULL to a day), never change a value, a period's
-- start, an organisation or a source. The owner (migrations, an operator's repair) is not held.
CREATE OR REPLACE FUNCTION niangjia_policy_version_close_only() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF current_user = 'niangjia_app' AND (
       OLD.valid_to IS NOT NULL OR NEW.valid_to IS NULL
       OR (to_jsonb(NEW) - 'valid_to' - 'updated_at') IS DISTINCT FROM (to_jsonb(OLD) - 'valid_to' - 'updated_at')) THEN
    RAISE EXCEPTION 'a policy version may only be closed (valid_to set once)' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER policy_parameters_close_only BEFORE UPDATE ON policy_parameters
  FOR EACH ROW EXECUTE FUNCTION niangjia_policy_version_close_only();--> statement-breakpoint
CREATE TRIGGER policy_rule_sets_close_only BEFORE UPDATE ON policy_rule_sets
  FOR EACH ROW EXECUTE FUNCTION niangjia_policy_version_close_only();
