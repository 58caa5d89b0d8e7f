-- The migrations' own table was created before 0001 granted every table to niangjia_app: take
-- that back. Request code has no business reading or writing the migration history.
REVOKE ALL ON niangjia_migrations FROM niangjia_app;--> statement-breakpoint
REVOKE ALL ON SEQUENCE niangjia_migrations_id_seq FROM niangjia_app;--> statement-breakpoint
ALTER TABLE niangjia_migrations ENABLE ROW LEVEL SECURITY;
