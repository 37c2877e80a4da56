CREATE TABLE `adapter_health` (
	`workspace_id` text NOT NULL,
	`tool` text NOT NULL,
	`version` text NOT NULL,
	`field` text NOT NULL,
	`count` integer NOT NULL,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`last_url` text NOT NULL,
	PRIMARY KEY(`workspace_id`, `tool`, `version`, `field`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `adapter_settings` (
	`workspace_id` text NOT NULL,
	`tool` text NOT NULL,
	`disabled` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `tool`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
