CREATE TABLE "current_evaluations" (
	"household_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"evaluation_id" uuid NOT NULL,
	"eligible" boolean NOT NULL,
	"category" text,
	"as_of" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"fingerprint" text NOT NULL,
	"rule_set" text NOT NULL,
	"rules_version" integer NOT NULL,
	"options" jsonb NOT NULL,
	"parameters" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evaluation_policies_fingerprint_unique" UNIQUE("fingerprint")
);
--> statement-breakpoint
ALTER TABLE "evaluations" ADD COLUMN "policy_id" uuid NOT NULL;--> statement-breakpoint
ALTER TABLE "evaluations" ADD COLUMN "username" text;--> statement-breakpoint
ALTER TABLE "current_evaluations" ADD CONSTRAINT "current_evaluations_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "current_evaluations" ADD CONSTRAINT "current_evaluations_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "current_evaluations" ADD CONSTRAINT "current_evaluations_evaluation_id_evaluations_id_fk" FOREIGN KEY ("evaluation_id") REFERENCES "public"."evaluations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_policy_id_evaluation_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."evaluation_policies"("id") ON DELETE no action ON UPDATE no action;