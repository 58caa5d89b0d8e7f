ALTER TABLE "current_evaluations" DROP CONSTRAINT "current_evaluations_household_id_households_id_fk";
--> statement-breakpoint
ALTER TABLE "current_evaluations" DROP CONSTRAINT "current_evaluations_org_id_orgs_id_fk";
--> statement-breakpoint
ALTER TABLE "current_evaluations" DROP CONSTRAINT "current_evaluations_evaluation_id_evaluations_id_fk";
--> statement-breakpoint
ALTER TABLE "evaluations" DROP CONSTRAINT "evaluations_household_id_households_id_fk";
--> statement-breakpoint
ALTER TABLE "evaluations" DROP CONSTRAINT "evaluations_org_id_orgs_id_fk";
--> statement-breakpoint
ALTER TABLE "evaluations" DROP CONSTRAINT "evaluations_policy_id_evaluation_policies_id_fk";
--> statement-breakpoint
DROP INDEX "evaluations_org_idx";