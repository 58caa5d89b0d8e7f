ALTER TABLE "household_name_grams" DROP CONSTRAINT "household_name_grams_org_id_orgs_id_fk";
--> statement-breakpoint
ALTER TABLE "household_name_grams" DROP CONSTRAINT "household_name_grams_household_id_households_id_fk";
--> statement-breakpoint
-- The list's name pieces (0010, 0011) are derived data, written only by the triggers of 0011-0013:
-- their foreign keys checked every piece of every imported household against orgs and households,
-- which cost an import more than writing the pieces (100,000 households: about 170,000 pieces, two
-- checks each). Above, they go; a deleted household's pieces are deleted by the trigger below, as
-- the cascade did.
CREATE OR REPLACE FUNCTION niangjia_households_deleted() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  DELETE FROM household_name_grams g USING old_households o WHERE g.household_id = o.id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER households_list_on_delete AFTER DELETE ON households
  REFERENCING OLD TABLE AS old_households FOR EACH STATEMENT EXECUTE FUNCTION niangjia_households_deleted();--> statement-breakpoint
-- The pieces of a name in PL/pgSQL: the same pieces as 0011's SQL function, whose subquery kept it
-- from being inlined, so that each call started an executor (about 27 µs a name on the embedded
-- database, against 4 µs here).
CREATE OR REPLACE FUNCTION niangjia_name_grams(name text) RETURNS text[]
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
  AS $$
DECLARE
  pieces text[] := '{}';
  piece text;
  n int := char_length(name);
BEGIN
  IF name IS NULL OR n = 0 THEN
    RETURN pieces;
  ELSIF n = 1 THEN
    RETURN ARRAY[name];
  END IF;
  FOR i IN 1 .. n - 1 LOOP
    piece := substr(name, i, 2);
    IF NOT piece = ANY (pieces) THEN
      pieces := pieces || piece;
    END IF;
  END LOOP;
  RETURN pieces;
END
$$;
