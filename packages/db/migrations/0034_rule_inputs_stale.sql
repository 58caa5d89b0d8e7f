CREATE TABLE "household_rule_inputs_stale" (
	"household_id" uuid PRIMARY KEY NOT NULL
);
