CREATE TABLE "archive_steps" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"archive_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"on_date" date NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" uuid,
	"username" text NOT NULL,
	"comment" text NOT NULL,
	"data" jsonb
);
--> statement-breakpoint
CREATE TABLE "archives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"household_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"category" text,
	"origin" text NOT NULL,
	"primary_cause" text NOT NULL,
	"secondary_causes" text[] DEFAULT '{}'::text[] NOT NULL,
	"urgency" text DEFAULT 'normal' NOT NULL,
	"status" text DEFAULT 'surveyed' NOT NULL,
	"opened_on" date NOT NULL,
	"publicity_started_on" date,
	"archived_on" date,
	"exited_on" date,
	"exit_reason" text,
	"next_review_on" date,
	"visit_interval_days" integer DEFAULT 90 NOT NULL,
	"previous_archive_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "archives_secondary_causes_check" CHECK (cardinality("archives"."secondary_causes") <= 3),
	CONSTRAINT "archives_status_check" CHECK ("archives"."status" in ('surveyed','applied','first_review','home_visit','finances_verified','publicity','archived','exited','returned','refused')),
	CONSTRAINT "archives_exit_check" CHECK (("archives"."status" = 'exited') = ("archives"."exit_reason" is not null))
);
--> statement-breakpoint
CREATE TABLE "duplicate_candidates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_a" uuid NOT NULL,
	"person_b" uuid NOT NULL,
	"reason" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"org_id" uuid NOT NULL,
	"resolved_by" uuid,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "duplicate_candidates_reason_check" CHECK ("duplicate_candidates"."reason" in ('same_name_birth','same_phone','id_one_digit')),
	CONSTRAINT "duplicate_candidates_status_check" CHECK ("duplicate_candidates"."status" in ('open','merged','dismissed'))
);
--> statement-breakpoint
CREATE TABLE "employers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"credit_code" text,
	"name" text NOT NULL,
	"employer_type" text,
	"state" text,
	"org_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "employers_credit_code_unique" UNIQUE("credit_code")
);
--> statement-breakpoint
CREATE TABLE "household_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"household_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"relation" text NOT NULL,
	"monthly_income_fen" bigint,
	"health" text,
	"activity" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "households" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"head_person_id" uuid NOT NULL,
	"housing_type" text,
	"housing_area_centi_m2" integer,
	"wage_income_fen" bigint DEFAULT 0 NOT NULL,
	"business_income_fen" bigint DEFAULT 0 NOT NULL,
	"property_income_fen" bigint DEFAULT 0 NOT NULL,
	"transfer_income_fen" bigint DEFAULT 0 NOT NULL,
	"other_income_fen" bigint DEFAULT 0 NOT NULL,
	"medical_cost_fen" bigint DEFAULT 0 NOT NULL,
	"disability_cost_fen" bigint DEFAULT 0 NOT NULL,
	"education_cost_fen" bigint DEFAULT 0 NOT NULL,
	"housing_cost_fen" bigint DEFAULT 0 NOT NULL,
	"other_rigid_cost_fen" bigint DEFAULT 0 NOT NULL,
	"employment_cost_fen" bigint DEFAULT 0 NOT NULL,
	"survey_date" date,
	"surveyor" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "households_head_person_id_unique" UNIQUE("head_person_id")
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"id_number" text NOT NULL,
	"name" text NOT NULL,
	"sex" text NOT NULL,
	"birth_date" date NOT NULL,
	"org_id" uuid NOT NULL,
	"ethnicity" text,
	"phone" text,
	"household_registration" text,
	"health" text,
	"disability" text,
	"activity" text,
	"education" text,
	"medical_insurance" text,
	"employer_id" uuid,
	"union_member" boolean,
	"migrant_worker" boolean DEFAULT false NOT NULL,
	"bank_name" text,
	"bank_branch" text,
	"bank_card" text,
	"source" text DEFAULT 'manual' NOT NULL,
	"merged_into" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "people_id_number_unique" UNIQUE("id_number"),
	CONSTRAINT "people_sex_check" CHECK ("people"."sex" in ('male','female'))
);
--> statement-breakpoint
CREATE TABLE "publicity_objections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"archive_id" uuid NOT NULL,
	"raised_on" date NOT NULL,
	"raised_by" text,
	"content" text NOT NULL,
	"resolved_on" date,
	"resolution" text,
	"upheld" boolean,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "visits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"archive_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"due_on" date NOT NULL,
	"visited_on" date,
	"caseworker_id" uuid,
	"findings" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "archive_steps" ADD CONSTRAINT "archive_steps_archive_id_archives_id_fk" FOREIGN KEY ("archive_id") REFERENCES "public"."archives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "archive_steps" ADD CONSTRAINT "archive_steps_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "archives" ADD CONSTRAINT "archives_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "archives" ADD CONSTRAINT "archives_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "archives" ADD CONSTRAINT "archives_previous_archive_id_archives_id_fk" FOREIGN KEY ("previous_archive_id") REFERENCES "public"."archives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_candidates" ADD CONSTRAINT "duplicate_candidates_person_a_people_id_fk" FOREIGN KEY ("person_a") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_candidates" ADD CONSTRAINT "duplicate_candidates_person_b_people_id_fk" FOREIGN KEY ("person_b") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_candidates" ADD CONSTRAINT "duplicate_candidates_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_candidates" ADD CONSTRAINT "duplicate_candidates_resolved_by_users_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "employers" ADD CONSTRAINT "employers_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_members" ADD CONSTRAINT "household_members_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_members" ADD CONSTRAINT "household_members_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_head_person_id_people_id_fk" FOREIGN KEY ("head_person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_employer_id_employers_id_fk" FOREIGN KEY ("employer_id") REFERENCES "public"."employers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_merged_into_people_id_fk" FOREIGN KEY ("merged_into") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publicity_objections" ADD CONSTRAINT "publicity_objections_archive_id_archives_id_fk" FOREIGN KEY ("archive_id") REFERENCES "public"."archives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_archive_id_archives_id_fk" FOREIGN KEY ("archive_id") REFERENCES "public"."archives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visits" ADD CONSTRAINT "visits_caseworker_id_users_id_fk" FOREIGN KEY ("caseworker_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "archive_steps_archive_idx" ON "archive_steps" USING btree ("archive_id","id");--> statement-breakpoint
CREATE INDEX "archives_org_status_idx" ON "archives" USING btree ("org_id","status");--> statement-breakpoint
CREATE INDEX "archives_review_idx" ON "archives" USING btree ("next_review_on");--> statement-breakpoint
CREATE UNIQUE INDEX "archives_open_unique" ON "archives" USING btree ("household_id") WHERE "archives"."status" not in ('exited','refused');--> statement-breakpoint
CREATE UNIQUE INDEX "duplicate_candidates_pair" ON "duplicate_candidates" USING btree ("person_a","person_b","reason");--> statement-breakpoint
CREATE INDEX "duplicate_candidates_org_idx" ON "duplicate_candidates" USING btree ("org_id","status");--> statement-breakpoint
CREATE INDEX "employers_org_idx" ON "employers" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "employers_name_idx" ON "employers" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "household_members_unique" ON "household_members" USING btree ("household_id","person_id");--> statement-breakpoint
CREATE INDEX "household_members_person_idx" ON "household_members" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "households_org_idx" ON "households" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "people_org_idx" ON "people" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "people_name_birth_idx" ON "people" USING btree ("name","birth_date");--> statement-breakpoint
CREATE INDEX "people_phone_idx" ON "people" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "publicity_objections_archive_idx" ON "publicity_objections" USING btree ("archive_id");--> statement-breakpoint
CREATE INDEX "visits_org_due_idx" ON "visits" USING btree ("org_id","due_on");--> statement-breakpoint
CREATE INDEX "visits_archive_idx" ON "visits" USING btree ("archive_id");