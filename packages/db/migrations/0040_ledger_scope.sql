-- Scope of the assistance ledger (ADR 0004), as the registry's large tables. The ledger is
-- appended to, never changed: a payment made in error is undone by a reversing line (issue 5).
ALTER TABLE ledger_entries ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY ledger_entries_scope ON ledger_entries TO niangjia_app
  USING (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))))
  WITH CHECK (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))));--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON ledger_entries FROM niangjia_app;--> statement-breakpoint
-- The totals are derived: the application reads them in its scope; only the trigger writes them.
ALTER TABLE ledger_totals ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY ledger_totals_scope ON ledger_totals TO niangjia_app
  USING (org_id = ANY (ARRAY(SELECT unnest(niangjia_scope_org_ids()))));--> statement-breakpoint
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ledger_totals FROM niangjia_app;--> statement-breakpoint
-- Each statement's new lines are added to the totals as one grouped upsert, in key order, so that
-- two imports at once take the totals' row locks in the same order and never deadlock.
CREATE OR REPLACE FUNCTION niangjia_ledger_totals() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
BEGIN
  INSERT INTO ledger_totals AS t (org_id, year, aid_type, fund_source, person_times, amount_fen)
  SELECT org_id, extract(year FROM paid_on)::int, aid_type, fund_source,
         sum(CASE kind WHEN 'payment' THEN 1 ELSE -1 END), sum(amount_fen)
  FROM new_rows
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (org_id, year, aid_type, fund_source) DO UPDATE
    SET person_times = t.person_times + excluded.person_times,
        amount_fen = t.amount_fen + excluded.amount_fen;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER ledger_entries_totals AFTER INSERT ON ledger_entries
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION niangjia_ledger_totals();
