-- Set-based forms of niangjia_person_keeper and niangjia_open_household_of (0006) for bulk work
-- (an import's batch of 1,000 rows asks once, not 1,000 times). They answer exactly what the single
-- forms answer and nothing more. The open-household test is written as two index lookups (head,
-- member) instead of one OR, which would scan every household for each person.
CREATE OR REPLACE FUNCTION niangjia_person_keepers(id_nos text[])
  RETURNS TABLE (id_number text, person_id uuid, org_code text, org_name text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT p.id_number, p.id, o.code, o.name
    FROM people p JOIN orgs o ON o.id = p.org_id
    WHERE p.id_number = ANY (id_nos)
  $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION niangjia_open_households_of(persons uuid[])
  RETURNS TABLE (person_id uuid, org_code text, org_name text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT x.person_id, o.code, o.name
    FROM (
      SELECT h.head_person_id AS person_id, h.id AS household_id
      FROM households h WHERE h.head_person_id = ANY (persons)
      UNION ALL
      SELECT m.person_id, m.household_id
      FROM household_members m WHERE m.person_id = ANY (persons)
    ) x
    JOIN households h ON h.id = x.household_id
    JOIN orgs o ON o.id = h.org_id
    WHERE EXISTS (SELECT 1 FROM archives a WHERE a.household_id = h.id AND a.status NOT IN ('exited', 'refused'))
  $$;--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION niangjia_person_keepers(text[]), niangjia_open_households_of(uuid[]) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION niangjia_person_keepers(text[]), niangjia_open_households_of(uuid[]) TO niangjia_app;
--> statement-breakpoint
-- The single form, rewritten the same way: its OR scanned every household on each call.
CREATE OR REPLACE FUNCTION niangjia_open_household_of(person uuid) RETURNS TABLE (org_code text, org_name text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT f.org_code, f.org_name FROM niangjia_open_households_of(ARRAY[person]) f
  $$;
