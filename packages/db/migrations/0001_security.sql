-- Data scope, enforced by the database itself (row-level security).
--
-- Every request of a signed-in user runs in a transaction that sets the role niangjia_app and
-- the setting niangjia.org_path to the path of the user's organisation. The policies below let
-- that role see and change only rows of that organisation's subtree. A module cannot forget the
-- check: its queries simply find nothing outside the scope. Tables with no policy for the role
-- (sessions, login failures, settings) are invisible to it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'niangjia_app') THEN
    CREATE ROLE niangjia_app NOLOGIN;
  END IF;
END
$$;--> statement-breakpoint
-- The connecting role must be able to SET ROLE niangjia_app (a superuser always can).
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT niangjia_app TO %I', current_user);
  END IF;
END
$$;--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO niangjia_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO niangjia_app;--> statement-breakpoint
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO niangjia_app;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO niangjia_app;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO niangjia_app;--> statement-breakpoint
-- The path of the acting user's organisation, or NULL outside a scoped transaction (NULL matches nothing).
CREATE OR REPLACE FUNCTION niangjia_scope_path() RETURNS text
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('niangjia.org_path', true), '') $$;--> statement-breakpoint
-- Is the organisation in the acting user's subtree?
CREATE OR REPLACE FUNCTION niangjia_in_scope(org uuid) RETURNS boolean
  LANGUAGE sql STABLE
  AS $$ SELECT EXISTS (SELECT 1 FROM orgs o WHERE o.id = org AND starts_with(o.path, niangjia_scope_path())) $$;--> statement-breakpoint
ALTER TABLE orgs ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE users ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE login_failures ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE settings ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY orgs_scope ON orgs TO niangjia_app
  USING (starts_with(path, niangjia_scope_path()))
  WITH CHECK (starts_with(path, niangjia_scope_path()));--> statement-breakpoint
CREATE POLICY users_scope ON users TO niangjia_app
  USING (niangjia_in_scope(org_id))
  WITH CHECK (niangjia_in_scope(org_id));--> statement-breakpoint
CREATE POLICY audit_read ON audit_log FOR SELECT TO niangjia_app
  USING (niangjia_in_scope(org_id));--> statement-breakpoint
CREATE POLICY audit_append ON audit_log FOR INSERT TO niangjia_app
  WITH CHECK (org_id IS NULL OR niangjia_in_scope(org_id));--> statement-breakpoint
-- A scoped user may see and end the sessions of users in its scope (logout, deactivation,
-- password reset). A DELETE with a WHERE clause needs the rows visible, hence both policies.
CREATE POLICY sessions_see ON sessions FOR SELECT TO niangjia_app
  USING (EXISTS (SELECT 1 FROM users u WHERE u.id = user_id));--> statement-breakpoint
CREATE POLICY sessions_end ON sessions FOR DELETE TO niangjia_app
  USING (EXISTS (SELECT 1 FROM users u WHERE u.id = user_id));--> statement-breakpoint
-- Organisation codes are unique in the whole system: creating one must know of codes outside
-- the scope. This answers that question and nothing else.
CREATE OR REPLACE FUNCTION niangjia_org_code_taken(c text) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$ SELECT EXISTS (SELECT 1 FROM orgs WHERE code = c) $$;--> statement-breakpoint
-- The audit trail is append-only for everyone, the owner included.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM niangjia_app;--> statement-breakpoint
CREATE OR REPLACE FUNCTION niangjia_audit_append_only() RETURNS trigger
  LANGUAGE plpgsql
  AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION niangjia_audit_append_only();--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION niangjia_audit_append_only();
