CREATE TABLE "income_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"household_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"on_date" date NOT NULL,
	"monthly_income_fen" bigint NOT NULL,
	"size" integer NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "income_records_source_check" CHECK ("income_records"."source" in ('visit','review')),
	CONSTRAINT "income_records_figures_check" CHECK ("income_records"."monthly_income_fen" >= 0 and "income_records"."size" >= 1)
);
--> statement-breakpoint
ALTER TABLE "income_records" ADD CONSTRAINT "income_records_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "income_records" ADD CONSTRAINT "income_records_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "income_records_household_idx" ON "income_records" USING btree ("household_id","on_date");