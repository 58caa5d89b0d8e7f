CREATE TABLE "ledger_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" text DEFAULT 'payment' NOT NULL,
	"aid_type" text NOT NULL,
	"fund_source" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"paid_on" date NOT NULL,
	"program_name" text,
	"paid_by" text,
	"method" text,
	"origin" text NOT NULL,
	"content_key" text NOT NULL,
	"reverses" uuid,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "ledger_entries_kind_check" CHECK ("ledger_entries"."kind" in ('payment','reversal')),
	CONSTRAINT "ledger_entries_amount_check" CHECK (("ledger_entries"."kind" = 'payment' and "ledger_entries"."amount_fen" > 0 and "ledger_entries"."reverses" is null) or ("ledger_entries"."kind" = 'reversal' and "ledger_entries"."amount_fen" < 0 and "ledger_entries"."reverses" is not null and "ledger_entries"."reason" is not null)),
	CONSTRAINT "ledger_entries_origin_check" CHECK ("ledger_entries"."origin" in ('import','grant')),
	CONSTRAINT "ledger_entries_method_check" CHECK ("ledger_entries"."method" in ('bank_card','cash','in_kind'))
);
--> statement-breakpoint
CREATE TABLE "ledger_totals" (
	"org_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"aid_type" text NOT NULL,
	"fund_source" text NOT NULL,
	"person_times" bigint NOT NULL,
	"amount_fen" bigint NOT NULL,
	CONSTRAINT "ledger_totals_org_id_year_aid_type_fund_source_pk" PRIMARY KEY("org_id","year","aid_type","fund_source")
);
--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_reverses_ledger_entries_id_fk" FOREIGN KEY ("reverses") REFERENCES "public"."ledger_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_totals" ADD CONSTRAINT "ledger_totals_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_entries_org_paid_idx" ON "ledger_entries" USING btree ("org_id","paid_on");--> statement-breakpoint
CREATE INDEX "ledger_entries_person_idx" ON "ledger_entries" USING btree ("person_id","paid_on");--> statement-breakpoint
CREATE INDEX "ledger_entries_content_idx" ON "ledger_entries" USING btree ("content_key");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entries_reverses_unique" ON "ledger_entries" USING btree ("reverses");