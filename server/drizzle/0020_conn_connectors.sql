CREATE TABLE `connector_deliveries` (
	`connector_id` text NOT NULL,
	`delivery_id` text NOT NULL,
	`received_at` integer NOT NULL,
	`outcome` text NOT NULL,
	PRIMARY KEY(`connector_id`, `delivery_id`),
	FOREIGN KEY (`connector_id`) REFERENCES `connectors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `connector_quarantine` (
	`id` text PRIMARY KEY NOT NULL,
	`connector_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`delivery_id` text,
	`reason` text NOT NULL,
	`payload` text NOT NULL,
	`received_at` integer NOT NULL,
	FOREIGN KEY (`connector_id`) REFERENCES `connectors`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `connector_quarantine_connector` ON `connector_quarantine` (`connector_id`,`received_at`);--> statement-breakpoint
CREATE TABLE `connector_tickets` (
	`connector_id` text NOT NULL,
	`external_id` text NOT NULL,
	`snapshot` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`connector_id`, `external_id`),
	FOREIGN KEY (`connector_id`) REFERENCES `connectors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `connectors` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`tool` text NOT NULL,
	`name` text NOT NULL,
	`config` text NOT NULL,
	`webhook_secret` text,
	`api_token` text,
	`enabled` integer DEFAULT true NOT NULL,
	`cursor` text,
	`backfill` text,
	`poll_not_before` integer,
	`received` integer DEFAULT 0 NOT NULL,
	`applied` integer DEFAULT 0 NOT NULL,
	`duplicates` integer DEFAULT 0 NOT NULL,
	`refused` integer DEFAULT 0 NOT NULL,
	`quarantined` integer DEFAULT 0 NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`last_event_at` integer,
	`last_event_tool_at` integer,
	`last_error` text,
	`last_error_at` integer,
	`alerted_at` integer,
	`created_at` integer NOT NULL,
	`secret_rotated_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `connectors_workspace` ON `connectors` (`workspace_id`);