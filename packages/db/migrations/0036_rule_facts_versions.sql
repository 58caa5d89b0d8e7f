-- The household's facts kept as versions (ADR 0017): household_rule_facts gets a row for each
-- document a household has had, named by its md5, and the rule inputs name the current one. A
-- bulk re-evaluation's decision names the version it read (evaluations.facts_md5) instead of
-- copying the document, which was most of what it wrote (about 600 bytes a household); a decision
-- made in TypeScript still carries its inputs. Versions are not deleted with their household: a
-- decision keeps what it read.
ALTER TABLE "evaluations" ALTER COLUMN "inputs" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "evaluations" ADD COLUMN "facts_md5" text;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_facts_check" CHECK ("evaluations"."inputs" is not null or "evaluations"."facts_md5" is not null);--> statement-breakpoint
ALTER TABLE "household_rule_facts" DROP CONSTRAINT "household_rule_facts_pkey";--> statement-breakpoint
ALTER TABLE "household_rule_facts" ADD CONSTRAINT "household_rule_facts_household_id_facts_md5_pk" PRIMARY KEY("household_id","facts_md5");--> statement-breakpoint
ALTER TABLE "household_rule_inputs" ADD COLUMN "facts_md5" text;--> statement-breakpoint
UPDATE "household_rule_inputs" r SET "facts_md5" = f."facts_md5" FROM "household_rule_facts" f
  WHERE f."household_id" = r."household_id";--> statement-breakpoint
ALTER TABLE "household_rule_inputs" ALTER COLUMN "facts_md5" SET NOT NULL;--> statement-breakpoint
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
    -- A new version when the document is new; the versions kept are never rewritten.
    INSERT INTO household_rule_facts (household_id, org_id, facts)
    SELECT id, org_id, facts FROM source
    ON CONFLICT (household_id, facts_md5) DO NOTHING
  ), moved AS (
    -- Every version follows its household to another organisation (the row-level security reads it).
    UPDATE household_rule_facts f SET org_id = s.org_id FROM source s
    WHERE f.household_id = s.id AND f.org_id <> s.org_id
  )
  INSERT INTO household_rule_inputs AS r (household_id, org_id, org_path, archive_status, migrant, causes,
    excluded, income_fen, deductions_fen, employment_fen, hardship_fen, size, idle_births, seriously_ill,
    facts_md5)
  SELECT id, org_id, org_path, archive_status, migrant, causes, excluded, income_fen, deductions_fen,
    employment_fen, hardship_fen, size, idle_births, seriously_ill, md5(facts::text)
  FROM source
  ON CONFLICT (household_id) DO UPDATE SET
    org_id = excluded.org_id, org_path = excluded.org_path, archive_status = excluded.archive_status,
    migrant = excluded.migrant, causes = excluded.causes, excluded = excluded.excluded,
    income_fen = excluded.income_fen, deductions_fen = excluded.deductions_fen,
    employment_fen = excluded.employment_fen, hardship_fen = excluded.hardship_fen, size = excluded.size,
    idle_births = excluded.idle_births, seriously_ill = excluded.seriously_ill, facts_md5 = excluded.facts_md5
  WHERE (r.org_id, r.org_path, r.archive_status, r.migrant, r.causes, r.excluded, r.income_fen, r.deductions_fen,
         r.employment_fen, r.hardship_fen, r.size, r.idle_births, r.seriously_ill, r.facts_md5)
    IS DISTINCT FROM (excluded.org_id, excluded.org_path, excluded.archive_status, excluded.migrant,
      excluded.causes, excluded.excluded, excluded.income_fen, excluded.deductions_fen, excluded.employment_fen,
      excluded.hardship_fen, excluded.size, excluded.idle_births, excluded.seriously_ill, excluded.facts_md5);
  DELETE FROM household_rule_inputs r
  USING unnest(coalesce(ids, ARRAY(SELECT household_id FROM household_rule_inputs))) AS x(id)
  WHERE r.household_id = x.id
    AND NOT EXISTS (SELECT 1 FROM households h WHERE h.id = r.household_id);
END
$$;--> statement-breakpoint
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
    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.org_id, n.org_path, n.head_person_id, n.archive_status, n.head_migrant_worker, n.archive_causes,
           n.exclusions, n.wage_income_fen, n.business_income_fen, n.property_income_fen, n.transfer_income_fen,
           n.other_income_fen, n.medical_cost_fen, n.disability_cost_fen, n.education_cost_fen,
           n.housing_cost_fen, n.other_rigid_cost_fen, n.employment_cost_fen)
      IS DISTINCT FROM
          (o.org_id, o.org_path, o.head_person_id, o.archive_status, o.head_migrant_worker, o.archive_causes,
           o.exclusions, o.wage_income_fen, o.business_income_fen, o.property_income_fen, o.transfer_income_fen,
           o.other_income_fen, o.medical_cost_fen, o.disability_cost_fen, o.education_cost_fen,
           o.housing_cost_fen, o.other_rigid_cost_fen, o.employment_cost_fen)
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
