CREATE TABLE "policy_parameters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"key" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"value" bigint NOT NULL,
	"source" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policy_parameters_period_check" CHECK ("policy_parameters"."valid_to" is null or "policy_parameters"."valid_to" >= "policy_parameters"."valid_from")
);
--> statement-breakpoint
CREATE TABLE "policy_rule_sets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"rule_set" text NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"source" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policy_rule_sets_period_check" CHECK ("policy_rule_sets"."valid_to" is null or "policy_rule_sets"."valid_to" >= "policy_rule_sets"."valid_from"),
	CONSTRAINT "policy_rule_sets_rule_set_check" CHECK ("policy_rule_sets"."rule_set" in ('legacy-2013','national-2016'))
);
--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "exclusions" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "policy_parameters" ADD CONSTRAINT "policy_parameters_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_rule_sets" ADD CONSTRAINT "policy_rule_sets_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "policy_parameters_version_unique" ON "policy_parameters" USING btree ("org_id","key","valid_from");--> statement-breakpoint
CREATE UNIQUE INDEX "policy_rule_sets_version_unique" ON "policy_rule_sets" USING btree ("org_id","valid_from");