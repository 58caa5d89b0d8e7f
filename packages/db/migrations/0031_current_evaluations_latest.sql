ALTER TABLE "current_evaluations" ADD COLUMN "latest_policy_id" uuid;--> statement-breakpoint
ALTER TABLE "current_evaluations" ADD COLUMN "latest_as_of" date;--> statement-breakpoint
ALTER TABLE "current_evaluations" ADD COLUMN "latest_facts_md5" text;