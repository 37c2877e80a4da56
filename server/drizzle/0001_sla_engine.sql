CREATE TABLE `alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`ticket_id` text NOT NULL,
	`key` text NOT NULL,
	`kind` text NOT NULL,
	`metric` text NOT NULL,
	`level` text NOT NULL,
	`due_at` integer,
	`fired_at` integer NOT NULL,
	`fired_by` text NOT NULL,
	`acknowledged_by` text,
	`acknowledged_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`acknowledged_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_ticket_key` ON `alerts` (`ticket_id`,`key`);--> statement-breakpoint
CREATE INDEX `alerts_workspace_fired` ON `alerts` (`workspace_id`,`fired_at`);--> statement-breakpoint
CREATE TABLE `calendars` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`spec_json` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `calendars_workspace` ON `calendars` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `ticket_sla` (
	`ticket_id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`policy_id` text,
	`calendar_id` text,
	`state_json` text NOT NULL,
	`next_at` integer,
	`computed_at` integer NOT NULL,
	`claimed_by` text,
	`claimed_until` integer,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ticket_sla_next_at` ON `ticket_sla` (`next_at`);--> statement-breakpoint
CREATE INDEX `ticket_sla_workspace` ON `ticket_sla` (`workspace_id`);--> statement-breakpoint
ALTER TABLE `tickets` ADD `requester_org` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `tags` text DEFAULT '[]' NOT NULL;