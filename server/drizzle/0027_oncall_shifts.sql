CREATE TABLE `oncall_feeds` (
	`user_id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `oncall_feeds_token_hash_unique` ON `oncall_feeds` (`token_hash`);--> statement-breakpoint
ALTER TABLE `push_subscriptions` ADD `last_success_at` integer;--> statement-breakpoint
ALTER TABLE `push_subscriptions` ADD `last_failure_at` integer;--> statement-breakpoint
ALTER TABLE `push_subscriptions` ADD `last_failure` text;