-- Each household's current outcome is rewritten by every decision stored for it (the latest
-- decision's policy, date and facts, ADR 0017): a bulk re-evaluation after a policy change
-- rewrites a million rows. With half of each page left free, PostgreSQL writes the new version
-- beside the old one and leaves the primary key alone (a heap-only update): 2.2 s for a million
-- rows on the benchmark's server instead of 9.6 s. CLUSTER rewrites the table so that the rows
-- already there get the room too. And the urgencies a re-evaluation derives again when they are
-- out of date (a time-limited rule's once the time is up, and those no rule gave) get an index.
ALTER TABLE current_evaluations SET (fillfactor = 50);--> statement-breakpoint
CLUSTER current_evaluations USING current_evaluations_pkey;--> statement-breakpoint
CREATE INDEX "archives_urgency_to_derive_idx" ON "archives" USING btree ("opened_on") WHERE ("archives"."urgency_reason" in ('fresh_disaster','relapsed') or "archives"."urgency_reason" is null) and not "archives"."urgency_manual" and "archives"."status" not in ('exited','refused');
