-- Uploaded files are seen and written in the scope of their organisation, like the jobs that read
-- them; nobody edits a file once uploaded (a new upload is a new row).
ALTER TABLE uploads ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY uploads_scope ON uploads TO niangjia_app
  USING (niangjia_in_scope(org_id))
  WITH CHECK (niangjia_in_scope(org_id));--> statement-breakpoint
REVOKE UPDATE ON uploads FROM niangjia_app;
