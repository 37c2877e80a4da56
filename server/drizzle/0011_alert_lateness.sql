ALTER TABLE `alerts` ADD `scheduled_at` integer;--> statement-breakpoint
ALTER TABLE `alerts` ADD `skipped_levels` text;