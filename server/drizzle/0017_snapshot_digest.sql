ALTER TABLE `ticket_sources` ADD `snapshot_digest` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `snapshot_digest` text;