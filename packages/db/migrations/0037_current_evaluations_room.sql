-- Each household's current outcome is rewritten by every decision stored for it (the latest
-- decision's policy, date and facts, ADR 0017): a bulk re-evaluation after a policy change
-- rewrites a million rows. With half of each page left free, PostgreSQL writes the new version
-- beside the old one and leaves the primary key alone (a heap-only update): 2.2 s for a million
-- rows on the benchmark's server instead of 9.6 s. CLUSTER rewrites the table so that the rows
-- already there get the room too. And the urgencies a time-limited rule gave get an index of
-- their own: a re-evaluation derives them again once the time is up.
ALTER TABLE current_evaluations SET (fillfactor = 50);--> statement-breakpoint
CLUSTER current_evaluations USING current_evaluations_pkey;--> statement-breakpoint
CREATE INDEX "archives_time_limited_urgency_idx" ON "archives" USING btree ("opened_on") WHERE "archives"."urgency_reason" in ('fresh_disaster','relapsed') and not "archives"."urgency_manual" and "archives"."status" not in ('exited','refused');
