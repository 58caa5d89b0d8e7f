-- What a household and a person were already granted of a type of aid, counted across every
-- organisation (issue 5): a cap is the household's, whichever union proposes. Under row-level
-- security a union would not see its district's grants to the same household, and would grant the
-- cap again. This answers only sums, for the households and people the caller names (the service
-- names those it sees). Records merged into a person (duplicates) count as that person's.
-- Granted: live grants (proposed, approved, objected, paid) of programs of the type, by the year the
-- program starts; and imported payments (ledger lines without a grant), by the year paid.
CREATE OR REPLACE FUNCTION niangjia_assistance_granted(aid text, yr int, household_ids uuid[], person_ids uuid[], exclude uuid)
  RETURNS TABLE (kind text, key uuid, year_fen bigint, ever_fen bigint)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    WITH target_people AS (
      SELECT p.id AS target, p.id AS person_id FROM people p WHERE p.id = ANY (person_ids)
      UNION
      SELECT m.merged_into, m.id FROM people m WHERE m.merged_into = ANY (person_ids)
    ),
    household_people AS (
      SELECT h.id AS household_id, h.head_person_id AS person_id FROM households h WHERE h.id = ANY (household_ids)
      UNION
      SELECT m.household_id, m.person_id FROM household_members m WHERE m.household_id = ANY (household_ids)
    ),
    household_records AS (
      SELECT household_id, person_id FROM household_people
      UNION
      SELECT hp.household_id, p.id FROM household_people hp JOIN people p ON p.merged_into = hp.person_id
    ),
    granted AS (
      SELECT g.household_id, g.person_id, g.amount_fen, extract(year FROM p.starts_on)::int AS year
      FROM grants g JOIN programs p ON p.id = g.program_id
      WHERE p.aid_type = aid AND g.status IN ('proposed', 'approved', 'objected', 'paid')
        AND g.id IS DISTINCT FROM exclude
        AND (g.household_id = ANY (household_ids)
             OR g.person_id IN (SELECT person_id FROM target_people)
             OR g.person_id IN (SELECT person_id FROM household_records))
    ),
    imported AS (
      SELECT l.person_id, l.amount_fen, extract(year FROM l.paid_on)::int AS year
      FROM ledger_entries l
      WHERE l.grant_id IS NULL AND l.aid_type = aid
        AND (l.person_id IN (SELECT person_id FROM household_records)
             OR l.person_id IN (SELECT person_id FROM target_people))
    ),
    per_household AS (
      SELECT coalesce(g.household_id, hr.household_id) AS household_id, g.amount_fen, g.year
      FROM granted g LEFT JOIN household_records hr ON g.household_id IS NULL AND hr.person_id = g.person_id
      UNION ALL
      SELECT hr.household_id, i.amount_fen, i.year FROM imported i JOIN household_records hr ON hr.person_id = i.person_id
    ),
    per_person AS (
      SELECT tp.target, g.amount_fen, g.year FROM granted g JOIN target_people tp ON tp.person_id = g.person_id
      UNION ALL
      SELECT tp.target, i.amount_fen, i.year FROM imported i JOIN target_people tp ON tp.person_id = i.person_id
    )
    SELECT 'household', household_id,
           coalesce(sum(amount_fen) FILTER (WHERE year = yr), 0)::bigint, coalesce(sum(amount_fen), 0)::bigint
    FROM per_household WHERE household_id = ANY (household_ids) GROUP BY household_id
    UNION ALL
    SELECT 'person', target,
           coalesce(sum(amount_fen) FILTER (WHERE year = yr), 0)::bigint, coalesce(sum(amount_fen), 0)::bigint
    FROM per_person GROUP BY target
  $$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION niangjia_assistance_granted(text, int, uuid[], uuid[], uuid) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION niangjia_assistance_granted(text, int, uuid[], uuid[], uuid) TO niangjia_app;
