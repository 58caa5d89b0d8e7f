ALTER TABLE "archives" ADD COLUMN "urgency_manual" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "archives" ADD COLUMN "urgency_reason" text;