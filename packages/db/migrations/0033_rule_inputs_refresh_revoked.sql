-- The rebuild of every household's rule inputs (0028) is for migrations, bulk loads and repairs,
-- run by the owner: like the household list's rebuild (0011), not the application's to call.
REVOKE EXECUTE ON FUNCTION niangjia_refresh_rule_inputs(uuid[]) FROM PUBLIC;
