CREATE TABLE "household_rule_facts" (
	"household_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"facts" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "household_rule_inputs" (
	"household_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"org_path" text COLLATE "C" NOT NULL,
	"archive_status" text,
	"migrant" boolean NOT NULL,
	"causes" text[] NOT NULL,
	"excluded" boolean NOT NULL,
	"income_fen" bigint NOT NULL,
	"deductions_fen" bigint NOT NULL,
	"employment_fen" bigint NOT NULL,
	"hardship_fen" bigint NOT NULL,
	"size" integer NOT NULL,
	"idle_births" integer[] NOT NULL,
	"seriously_ill" boolean NOT NULL
);
