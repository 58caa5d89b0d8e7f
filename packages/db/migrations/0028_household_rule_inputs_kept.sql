-- What the identification rules read of each household (0027, ADR 0017), kept by triggers from
-- its sources: the household (its figures, exclusions and the list's copies of its organisation,
-- head and current archive, which 0011/0012 keep), the head's and the members' records, and the
-- memberships; and each household's facts as a document beside them (household_rule_facts).
-- Statement-level triggers with transition tables, so that an import's batch of a
-- thousand rows is one set-based refresh. Like the list's copies, the rows are derived data only:
-- niangjia_refresh_rule_inputs(NULL) computes every one again from the sources.

-- A date as the number yyyymmdd: (on − birth) / 10000, in integers, is the age in whole years
-- exactly as the domain's ageOn counts it (a birthday on 29 February is reached on 1 March).
CREATE OR REPLACE FUNCTION niangjia_day_number(d date) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (extract(year FROM d) * 10000 + extract(month FROM d) * 100 + extract(day FROM d))::integer $$;--> statement-breakpoint
-- The rows of the households `ids` (every household when NULL) computed again, set-based; rows
-- whose household is gone are deleted. A row is written only when something in it changed. Driven
-- by the ids (unnest): one index lookup each, in the plan PL/pgSQL keeps for every call (a filter
-- `id = ANY (ids)` may be planned as a scan of the whole table).
CREATE OR REPLACE FUNCTION niangjia_refresh_rule_inputs(ids uuid[]) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  WITH source AS (
    SELECT h.id, h.org_id, h.org_path, h.archive_status, h.head_migrant_worker AS migrant, h.archive_causes AS causes,
      cardinality(h.exclusions) > 0 AS excluded,
      h.wage_income_fen + h.business_income_fen + h.property_income_fen + h.transfer_income_fen + h.other_income_fen
        AS income_fen,
      h.medical_cost_fen + h.disability_cost_fen + h.education_cost_fen + h.housing_cost_fen + h.other_rigid_cost_fen
        AS deductions_fen,
      h.employment_cost_fen AS employment_fen,
      h.medical_cost_fen + h.disability_cost_fen + h.other_rigid_cost_fen AS hardship_fen,
      1 + coalesce(mm.n, 0) AS size,
      CASE WHEN hp.health = 'healthy' AND hp.activity = 'unemployed'
        THEN ARRAY[niangjia_day_number(hp.birth_date)] ELSE '{}'::integer[] END || coalesce(mm.idle, '{}') AS idle_births,
      hp.health IS NOT DISTINCT FROM 'serious' OR coalesce(mm.serious, false) AS seriously_ill,
      jsonb_build_object(
        'income', jsonb_build_object('wage', h.wage_income_fen, 'business', h.business_income_fen,
          'property', h.property_income_fen, 'transfer', h.transfer_income_fen, 'other', h.other_income_fen),
        'costs', jsonb_build_object('medical', h.medical_cost_fen, 'disability', h.disability_cost_fen,
          'education', h.education_cost_fen, 'housing', h.housing_cost_fen, 'otherRigid', h.other_rigid_cost_fen,
          'employment', h.employment_cost_fen),
        'people', jsonb_build_array(jsonb_build_object('role', 'head', 'birthDate', hp.birth_date,
          'health', hp.health, 'activity', hp.activity)) || coalesce(mm.people, '[]'::jsonb),
        'causes', jsonb_build_object('primary', h.archive_causes[1], 'secondary', to_jsonb(h.archive_causes[2:])),
        'exclusions', to_jsonb(h.exclusions)) AS facts
    FROM unnest(coalesce(ids, ARRAY(SELECT id FROM households))) AS x(id)
    JOIN households h ON h.id = x.id
    JOIN people hp ON hp.id = h.head_person_id
    LEFT JOIN LATERAL (
      SELECT count(*) AS n,
        array_agg(niangjia_day_number(p.birth_date))
          FILTER (WHERE coalesce(m.health, p.health) = 'healthy' AND coalesce(m.activity, p.activity) = 'unemployed') AS idle,
        bool_or(coalesce(m.health, p.health) = 'serious') AS serious,
        jsonb_agg(jsonb_build_object('role', 'member', 'birthDate', p.birth_date,
          'health', coalesce(m.health, p.health), 'activity', coalesce(m.activity, p.activity))
          ORDER BY m.created_at, m.id) AS people
      FROM household_members m JOIN people p ON p.id = m.person_id
      WHERE m.household_id = h.id
    ) mm ON true
  ), facts AS (
    INSERT INTO household_rule_facts AS f (household_id, org_id, facts)
    SELECT id, org_id, facts FROM source
    ON CONFLICT (household_id) DO UPDATE SET org_id = excluded.org_id, facts = excluded.facts
    WHERE (f.org_id, f.facts) IS DISTINCT FROM (excluded.org_id, excluded.facts)
  )
  INSERT INTO household_rule_inputs AS r (household_id, org_id, org_path, archive_status, migrant, causes,
    excluded, income_fen, deductions_fen, employment_fen, hardship_fen, size, idle_births, seriously_ill)
  SELECT id, org_id, org_path, archive_status, migrant, causes, excluded, income_fen, deductions_fen,
    employment_fen, hardship_fen, size, idle_births, seriously_ill
  FROM source
  ON CONFLICT (household_id) DO UPDATE SET
    org_id = excluded.org_id, org_path = excluded.org_path, archive_status = excluded.archive_status,
    migrant = excluded.migrant, causes = excluded.causes, excluded = excluded.excluded,
    income_fen = excluded.income_fen, deductions_fen = excluded.deductions_fen,
    employment_fen = excluded.employment_fen, hardship_fen = excluded.hardship_fen, size = excluded.size,
    idle_births = excluded.idle_births, seriously_ill = excluded.seriously_ill
  WHERE (r.org_id, r.org_path, r.archive_status, r.migrant, r.causes, r.excluded, r.income_fen, r.deductions_fen,
         r.employment_fen, r.hardship_fen, r.size, r.idle_births, r.seriously_ill)
    IS DISTINCT FROM (excluded.org_id, excluded.org_path, excluded.archive_status, excluded.migrant,
      excluded.causes, excluded.excluded, excluded.income_fen, excluded.deductions_fen, excluded.employment_fen,
      excluded.hardship_fen, excluded.size, excluded.idle_births, excluded.seriously_ill);
  DELETE FROM household_rule_inputs r
  USING unnest(coalesce(ids, ARRAY(SELECT household_id FROM household_rule_inputs))) AS x(id)
  WHERE r.household_id = x.id
    AND NOT EXISTS (SELECT 1 FROM households h WHERE h.id = r.household_id);
  DELETE FROM household_rule_facts f
  USING unnest(coalesce(ids, ARRAY(SELECT household_id FROM household_rule_facts))) AS x(id)
  WHERE f.household_id = x.id
    AND NOT EXISTS (SELECT 1 FROM households h WHERE h.id = f.household_id);
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION niangjia_households_rule_inputs() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM niangjia_refresh_rule_inputs(ARRAY(SELECT id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    DELETE FROM household_rule_inputs r USING old_rows o WHERE r.household_id = o.id;
    DELETE FROM household_rule_facts f USING old_rows o WHERE f.household_id = o.id;
  ELSE
    -- Only the households whose rule inputs or copies changed (the list's copies are updated here
    -- too: a new archive's status, a moved organisation).
    PERFORM niangjia_refresh_rule_inputs(ARRAY(
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.org_id, n.org_path, n.head_person_id, n.archive_status, n.head_migrant_worker, n.archive_causes,
             n.exclusions, n.wage_income_fen, n.business_income_fen, n.property_income_fen, n.transfer_income_fen,
             n.other_income_fen, n.medical_cost_fen, n.disability_cost_fen, n.education_cost_fen,
             n.housing_cost_fen, n.other_rigid_cost_fen, n.employment_cost_fen)
        IS DISTINCT FROM
            (o.org_id, o.org_path, o.head_person_id, o.archive_status, o.head_migrant_worker, o.archive_causes,
             o.exclusions, o.wage_income_fen, o.business_income_fen, o.property_income_fen, o.transfer_income_fen,
             o.other_income_fen, o.medical_cost_fen, o.disability_cost_fen, o.education_cost_fen,
             o.housing_cost_fen, o.other_rigid_cost_fen, o.employment_cost_fen)));
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
-- Named to run after the list's own insert trigger (triggers of one event fire in name order),
-- which sets the copies this one reads.
CREATE TRIGGER households_rule_inputs_on_insert AFTER INSERT ON households
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION niangjia_households_rule_inputs();--> statement-breakpoint
CREATE TRIGGER households_rule_inputs_on_update AFTER UPDATE ON households
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION niangjia_households_rule_inputs();--> statement-breakpoint
CREATE TRIGGER households_rule_inputs_on_delete AFTER DELETE ON households
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION niangjia_households_rule_inputs();--> statement-breakpoint
CREATE OR REPLACE FUNCTION niangjia_members_rule_inputs() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM niangjia_refresh_rule_inputs(ARRAY(SELECT DISTINCT household_id FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM niangjia_refresh_rule_inputs(ARRAY(SELECT DISTINCT household_id FROM old_rows));
  ELSE
    PERFORM niangjia_refresh_rule_inputs(ARRAY(
      SELECT n.household_id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.household_id, n.person_id, n.health, n.activity, n.created_at)
        IS DISTINCT FROM (o.household_id, o.person_id, o.health, o.activity, o.created_at)
      UNION
      SELECT o.household_id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE n.household_id <> o.household_id));
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER household_members_rule_inputs_on_insert AFTER INSERT ON household_members
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION niangjia_members_rule_inputs();--> statement-breakpoint
CREATE TRIGGER household_members_rule_inputs_on_update AFTER UPDATE ON household_members
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION niangjia_members_rule_inputs();--> statement-breakpoint
CREATE TRIGGER household_members_rule_inputs_on_delete AFTER DELETE ON household_members
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION niangjia_members_rule_inputs();--> statement-breakpoint
-- A person's birth date, health or activity: every household they head or belong to.
CREATE OR REPLACE FUNCTION niangjia_people_rule_inputs() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  PERFORM niangjia_refresh_rule_inputs(ARRAY(
    WITH changed AS (
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.birth_date, n.health, n.activity) IS DISTINCT FROM (o.birth_date, o.health, o.activity))
    SELECT h.id FROM changed c JOIN households h ON h.head_person_id = c.id
    UNION
    SELECT m.household_id FROM changed c JOIN household_members m ON m.person_id = c.id));
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER people_rule_inputs_on_update AFTER UPDATE ON people
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION niangjia_people_rule_inputs();--> statement-breakpoint
-- Read under the scope like the households they copy; written by the functions above only.
ALTER TABLE household_rule_inputs ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY household_rule_inputs_scope ON household_rule_inputs FOR SELECT TO niangjia_app
  USING (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))));--> statement-breakpoint
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON household_rule_inputs FROM niangjia_app;--> statement-breakpoint
ALTER TABLE household_rule_facts ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY household_rule_facts_scope ON household_rule_facts FOR SELECT TO niangjia_app
  USING (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))));--> statement-breakpoint
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON household_rule_facts FROM niangjia_app;--> statement-breakpoint
-- The scope's functions only read a setting and the organisations: safe in a parallel worker (which
-- gets the leader's settings and role), so that a scan of a million rule inputs may be shared out.
ALTER FUNCTION niangjia_scope_path() PARALLEL SAFE;--> statement-breakpoint
ALTER FUNCTION niangjia_scope_org_ids() PARALLEL SAFE;--> statement-breakpoint
SELECT niangjia_refresh_rule_inputs(NULL);--> statement-breakpoint
ANALYZE household_rule_inputs;--> statement-breakpoint
ANALYZE household_rule_facts;
