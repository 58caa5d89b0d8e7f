-- Policy snapshots identified by their content, computed here (ADR 0015): the application no
-- longer inserts them itself, so no row can carry a fingerprint that does not match what it holds,
-- and a decision is always attached to the snapshot of what it really used.
CREATE OR REPLACE FUNCTION niangjia_snapshot_fingerprint(snapshot jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT encode(sha256(convert_to(jsonb_build_array(snapshot -> 'ruleSet', snapshot -> 'rulesVersion',
                                                          snapshot -> 'options', snapshot -> 'parameters')::text, 'UTF8')), 'hex') $$;--> statement-breakpoint
-- The ids of snapshots given as a JSON array of { key, ruleSet, rulesVersion, options, parameters },
-- stored when new; `key` is the caller's own name for each, given back with its id.
CREATE OR REPLACE FUNCTION niangjia_evaluation_policy_ids(snapshots jsonb) RETURNS TABLE (key text, id uuid)
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM jsonb_array_elements(snapshots) x
             WHERE x ->> 'ruleSet' NOT IN ('legacy-2013', 'national-2016')
                OR jsonb_typeof(x -> 'rulesVersion') <> 'number'
                OR jsonb_typeof(x -> 'options') <> 'object'
                OR jsonb_typeof(x -> 'parameters') <> 'array') THEN
    RAISE EXCEPTION 'not a policy snapshot' USING ERRCODE = 'check_violation';
  END IF;
  INSERT INTO evaluation_policies (fingerprint, rule_set, rules_version, options, parameters)
  SELECT niangjia_snapshot_fingerprint(x), x ->> 'ruleSet', (x ->> 'rulesVersion')::int, x -> 'options', x -> 'parameters'
  FROM jsonb_array_elements(snapshots) x
  ON CONFLICT (fingerprint) DO NOTHING;
  RETURN QUERY
    SELECT x ->> 'key', p.id
    FROM jsonb_array_elements(snapshots) x
    JOIN evaluation_policies p ON p.fingerprint = niangjia_snapshot_fingerprint(x);
END
$$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION niangjia_evaluation_policy_ids(jsonb) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION niangjia_evaluation_policy_ids(jsonb) TO niangjia_app;--> statement-breakpoint
DROP POLICY evaluation_policies_append ON evaluation_policies;--> statement-breakpoint
REVOKE INSERT ON evaluation_policies FROM niangjia_app;
