-- Jobs are seen and queued in the scope of their organisation (a user follows the progress of
-- the import they started); the runner claims and finishes them with the owner's rights.
ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY jobs_scope ON jobs TO niangjia_app
  USING (niangjia_in_scope(org_id))
  WITH CHECK (niangjia_in_scope(org_id));
