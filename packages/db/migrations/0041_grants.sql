CREATE TABLE "funds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"source" text NOT NULL,
	"year" integer NOT NULL,
	"budget_fen" bigint NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "funds_budget_check" CHECK ("funds"."budget_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"program_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"household_id" uuid,
	"amount_fen" bigint NOT NULL,
	"cap_fen" bigint,
	"basis" jsonb NOT NULL,
	"fund_id" uuid NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"approvals_needed" integer NOT NULL,
	"proposed_by" uuid,
	"proposed_by_name" text NOT NULL,
	"proposed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_approved_by" uuid,
	"first_approved_by_name" text,
	"first_approved_at" timestamp with time zone,
	"approved_by" uuid,
	"approved_by_name" text,
	"approved_on" date,
	"publicity_ends_on" date,
	"decision_note" text,
	"objection" text,
	"objection_on" date,
	"paid_on" date,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "grants_status_check" CHECK ("grants"."status" in ('proposed','approved','objected','paid','rejected','cancelled')),
	CONSTRAINT "grants_amount_check" CHECK ("grants"."amount_fen" > 0 and ("grants"."cap_fen" is null or "grants"."amount_fen" <= "grants"."cap_fen")),
	CONSTRAINT "grants_approvals_check" CHECK ("grants"."approvals_needed" in (1, 2))
);
--> statement-breakpoint
CREATE TABLE "programs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"aid_type" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"fund_sources" text[] NOT NULL,
	"eligible_statuses" text[] DEFAULT '{archived}'::text[] NOT NULL,
	"eligible_categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"default_amount_fen" bigint,
	"publicity_working_days" integer DEFAULT 5 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "programs_period_check" CHECK ("programs"."starts_on" <= "programs"."ends_on"),
	CONSTRAINT "programs_amount_check" CHECK ("programs"."default_amount_fen" is null or "programs"."default_amount_fen" > 0),
	CONSTRAINT "programs_publicity_check" CHECK ("programs"."publicity_working_days" between 0 and 30)
);
--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "grant_id" uuid;--> statement-breakpoint
ALTER TABLE "funds" ADD CONSTRAINT "funds_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_fund_id_funds_id_fk" FOREIGN KEY ("fund_id") REFERENCES "public"."funds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_proposed_by_users_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_first_approved_by_users_id_fk" FOREIGN KEY ("first_approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "programs" ADD CONSTRAINT "programs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "funds_org_source_year_unique" ON "funds" USING btree ("org_id","source","year");--> statement-breakpoint
CREATE INDEX "grants_program_idx" ON "grants" USING btree ("program_id","status");--> statement-breakpoint
CREATE INDEX "grants_person_idx" ON "grants" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "grants_household_idx" ON "grants" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "grants_fund_idx" ON "grants" USING btree ("fund_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "grants_one_live_per_person" ON "grants" USING btree ("program_id","person_id") WHERE "grants"."status" not in ('rejected','cancelled');--> statement-breakpoint
CREATE INDEX "programs_org_idx" ON "programs" USING btree ("org_id","starts_on");--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "public"."grants"("id") ON DELETE no action ON UPDATE no action;