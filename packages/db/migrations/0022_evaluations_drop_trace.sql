ALTER TABLE "evaluations" DROP CONSTRAINT "evaluations_archive_id_archives_id_fk";
--> statement-breakpoint
ALTER TABLE "evaluations" DROP COLUMN "archive_id";--> statement-breakpoint
ALTER TABLE "evaluations" DROP COLUMN "decision";