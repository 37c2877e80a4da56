CREATE TABLE `agent_aliases` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`user_id` text NOT NULL,
	`tool` text,
	`name` text,
	`email` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `agent_aliases_workspace` ON `agent_aliases` (`workspace_id`);--> statement-breakpoint
CREATE INDEX `agent_aliases_user` ON `agent_aliases` (`user_id`);--> statement-breakpoint
CREATE TABLE `ticket_observations` (
	`ticket_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`source_key` text NOT NULL,
	`type` text NOT NULL,
	`at` integer NOT NULL,
	`data` text NOT NULL,
	`dedupe_key` text NOT NULL,
	`recorded_at` integer NOT NULL,
	PRIMARY KEY(`ticket_id`, `source_key`, `dedupe_key`, `at`),
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `ticket_sources` (
	`ticket_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`source_key` text NOT NULL,
	`user_id` text,
	`token_id` text,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`last_category` text,
	`last_priority` text,
	`conflict` text,
	`conflict_at` integer,
	`excluded_at` integer,
	`excluded_by` text,
	PRIMARY KEY(`ticket_id`, `source_key`),
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`token_id`) REFERENCES `extension_tokens`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`excluded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ticket_sources_workspace` ON `ticket_sources` (`workspace_id`);--> statement-breakpoint
-- Tickets seen before sources were kept apart: their log becomes the observations of one
-- source, `legacy`, so recomputing them reproduces it.
INSERT INTO `ticket_sources` (`ticket_id`, `workspace_id`, `source_key`, `first_seen_at`, `last_seen_at`, `last_category`, `last_priority`)
SELECT `id`, `workspace_id`, 'legacy', `first_seen_at`, `last_seen_at`, `category`, `priority` FROM `tickets`;--> statement-breakpoint
INSERT INTO `ticket_observations` (`ticket_id`, `workspace_id`, `source_key`, `type`, `at`, `data`, `dedupe_key`, `recorded_at`)
SELECT `ticket_id`, `workspace_id`, 'legacy', `type`, `at`, `data`, `dedupe_key`, `recorded_at` FROM `ticket_events` ORDER BY `recorded_at`, `at`;
