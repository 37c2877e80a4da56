CREATE TABLE `digest_settings` (
	`user_id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`enabled` integer NOT NULL,
	`weekday` integer NOT NULL,
	`time` text NOT NULL,
	`time_zone` text NOT NULL,
	`last_due_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `digest_settings_workspace` ON `digest_settings` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `red_flag_settings` (
	`workspace_id` text PRIMARY KEY NOT NULL,
	`rules_json` text NOT NULL,
	`updated_by` text,
	`updated_at` integer NOT NULL,
	`evaluated_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `red_flags` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`rule` text NOT NULL,
	`subject` text NOT NULL,
	`title` text NOT NULL,
	`numbers_json` text NOT NULL,
	`raised_at` integer NOT NULL,
	`cleared_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `red_flags_open` ON `red_flags` (`workspace_id`,`rule`,`subject`) WHERE "red_flags"."cleared_at" IS NULL;--> statement-breakpoint
CREATE INDEX `red_flags_workspace` ON `red_flags` (`workspace_id`,`raised_at`);