-- Issue #18: each day now also has a workspace-wide row (source '*') that an unfiltered glance
-- reads alone. Day sums kept before lack it: drop them (and their zones), so the first glance in
-- each zone builds them again from the stored metric points, with the workspace-wide rows.
DELETE FROM `metric_rollups`;
--> statement-breakpoint
DELETE FROM `metric_rollup_zones`;
