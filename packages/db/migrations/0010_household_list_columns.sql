CREATE TABLE "household_name_grams" (
	"gram" text NOT NULL,
	"org_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	CONSTRAINT "household_name_grams_gram_org_id_household_id_pk" PRIMARY KEY("gram","org_id","household_id")
);
--> statement-breakpoint
DROP INDEX "households_org_idx";--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "org_path" text COLLATE "C" DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "head_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "head_migrant_worker" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "archive_status" text;--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "archive_category" text;--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "archive_causes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "archive_urgency" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "id_number_reversed" text GENERATED ALWAYS AS (reverse(id_number)) STORED;--> statement-breakpoint
ALTER TABLE "household_name_grams" ADD CONSTRAINT "household_name_grams_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_name_grams" ADD CONSTRAINT "household_name_grams_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "household_name_grams_household_idx" ON "household_name_grams" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "archives_household_idx" ON "archives" USING btree ("household_id","created_at");--> statement-breakpoint
CREATE INDEX "households_list_idx" ON "households" USING btree ("org_path","head_name","id","org_id","archive_status","archive_category","archive_urgency","head_migrant_worker","archive_causes");--> statement-breakpoint
CREATE INDEX "households_list_status_idx" ON "households" USING btree ("archive_status","org_path","head_name","id","org_id","archive_category","archive_urgency","head_migrant_worker","archive_causes");--> statement-breakpoint
CREATE INDEX "households_list_category_idx" ON "households" USING btree ("archive_category","org_path","head_name","id","org_id","archive_status","archive_urgency","head_migrant_worker","archive_causes");--> statement-breakpoint
CREATE INDEX "households_list_urgency_idx" ON "households" USING btree ("archive_urgency","org_path","head_name","id","org_id","archive_status","archive_category","head_migrant_worker","archive_causes");--> statement-breakpoint
CREATE INDEX "people_id_number_reversed_idx" ON "people" USING btree ("id_number_reversed");