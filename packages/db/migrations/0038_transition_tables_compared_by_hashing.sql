-- The statement triggers found the rows a statement changed by joining its old and new transition
-- tables on the key. PostgreSQL plans a transition table as one row, so that join was a nested
-- loop: n² comparisons, which an UPDATE of a few rows never notices and one of 70,000 households
-- (a bulk re-evaluation's urgencies, an organisation's move) spends minutes in (7,045 archives
-- took 49.6 million comparisons, twice). The changed rows are now the new rows EXCEPT the old ones,
-- a set operation by hashing or sorting whatever the estimate: n log n at worst. EXCEPT compares
-- NULLs as equal, as IS DISTINCT FROM did.
CREATE OR REPLACE FUNCTION niangjia_households_rule_inputs() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO household_rule_inputs_stale (household_id) SELECT id FROM new_rows ON CONFLICT DO NOTHING;
  ELSIF TG_OP = 'DELETE' THEN
    DELETE FROM household_rule_inputs r USING old_rows o WHERE r.household_id = o.id;
    DELETE FROM household_rule_inputs_stale s USING old_rows o WHERE s.household_id = o.id;
  ELSE
    INSERT INTO household_rule_inputs_stale (household_id)
    SELECT DISTINCT id FROM (
      SELECT id, org_id, org_path, head_person_id, archive_status, head_migrant_worker, archive_causes, exclusions,
             wage_income_fen, business_income_fen, property_income_fen, transfer_income_fen, other_income_fen,
             medical_cost_fen, disability_cost_fen, education_cost_fen, housing_cost_fen, other_rigid_cost_fen,
             employment_cost_fen
      FROM new_rows
      EXCEPT
      SELECT id, org_id, org_path, head_person_id, archive_status, head_migrant_worker, archive_causes, exclusions,
             wage_income_fen, business_income_fen, property_income_fen, transfer_income_fen, other_income_fen,
             medical_cost_fen, disability_cost_fen, education_cost_fen, housing_cost_fen, other_rigid_cost_fen,
             employment_cost_fen
      FROM old_rows) changed
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION niangjia_members_rule_inputs() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO household_rule_inputs_stale (household_id)
    SELECT DISTINCT household_id FROM new_rows ON CONFLICT DO NOTHING;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO household_rule_inputs_stale (household_id)
    SELECT DISTINCT household_id FROM old_rows ON CONFLICT DO NOTHING;
  ELSE
    -- A changed membership marks its household, and the one it left when it moved.
    INSERT INTO household_rule_inputs_stale (household_id)
    SELECT household_id FROM (
      SELECT id, household_id, person_id, health, activity, created_at FROM new_rows
      EXCEPT
      SELECT id, household_id, person_id, health, activity, created_at FROM old_rows) changed
    UNION
    SELECT household_id FROM (
      SELECT id, household_id FROM old_rows
      EXCEPT
      SELECT id, household_id FROM new_rows) left_behind
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION niangjia_people_rule_inputs() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  INSERT INTO household_rule_inputs_stale (household_id)
  WITH changed AS (
    SELECT id FROM (
      SELECT id, birth_date, health, activity FROM new_rows
      EXCEPT
      SELECT id, birth_date, health, activity FROM old_rows) c)
  SELECT h.id FROM changed c JOIN households h ON h.head_person_id = c.id
  UNION
  SELECT m.household_id FROM changed c JOIN household_members m ON m.person_id = c.id
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION niangjia_archives_changed() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE households h
    SET archive_status = a.status, archive_category = a.category,
        archive_causes = coalesce(a.primary_cause || a.secondary_causes, '{}'), archive_urgency = a.urgency
    FROM (SELECT DISTINCT household_id AS id FROM old_rows) x
    LEFT JOIN LATERAL niangjia_current_archive(x.id) a ON true
    WHERE h.id = x.id
      AND (h.archive_status, h.archive_category, h.archive_causes, h.archive_urgency)
          IS DISTINCT FROM (a.status, a.category, coalesce(a.primary_cause || a.secondary_causes, '{}'), a.urgency);
  ELSE
    -- The households of the archives whose copied fields changed, and those an archive moved from.
    UPDATE households h
    SET archive_status = a.status, archive_category = a.category,
        archive_causes = coalesce(a.primary_cause || a.secondary_causes, '{}'), archive_urgency = a.urgency
    FROM (
      SELECT household_id AS id FROM (
        SELECT id, household_id, status, category, primary_cause, secondary_causes, urgency, created_at FROM new_rows
        EXCEPT
        SELECT id, household_id, status, category, primary_cause, secondary_causes, urgency, created_at FROM old_rows
      ) changed
      UNION
      SELECT household_id FROM (
        SELECT id, household_id FROM old_rows
        EXCEPT
        SELECT id, household_id FROM new_rows) left_behind
    ) x
    LEFT JOIN LATERAL niangjia_current_archive(x.id) a ON true
    WHERE h.id = x.id
      AND (h.archive_status, h.archive_category, h.archive_causes, h.archive_urgency)
          IS DISTINCT FROM (a.status, a.category, coalesce(a.primary_cause || a.secondary_causes, '{}'), a.urgency);
  END IF;
  RETURN NULL;
END
$$;
