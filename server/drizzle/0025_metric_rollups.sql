CREATE TABLE `metric_dirty` (
	`ticket_id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`mark` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `metric_dirty_ws` ON `metric_dirty` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `metric_points` (
	`workspace_id` text NOT NULL,
	`ticket_id` text NOT NULL,
	`kind` text NOT NULL,
	`at` integer NOT NULL,
	`until` integer,
	`metric` text,
	`business_ms` real,
	`calendar_ms` real,
	`source` text NOT NULL,
	`priority` text NOT NULL,
	`assignee` text NOT NULL,
	`tags` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `metric_points_ws_at` ON `metric_points` (`workspace_id`,`at`);--> statement-breakpoint
CREATE INDEX `metric_points_ticket` ON `metric_points` (`ticket_id`);--> statement-breakpoint
CREATE INDEX `metric_points_ws_kind_at` ON `metric_points` (`workspace_id`,`kind`,`at`);--> statement-breakpoint
CREATE TABLE `metric_rebuild` (
	`workspace_id` text PRIMARY KEY NOT NULL,
	`mark` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `metric_rollup_totals` (
	`workspace_id` text NOT NULL,
	`source` text NOT NULL,
	`priority` text NOT NULL,
	`assignee` text NOT NULL,
	`tags` text NOT NULL,
	`open` integer NOT NULL,
	`unknown` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `source`, `priority`, `assignee`, `tags`)
);
--> statement-breakpoint
CREATE TABLE `metric_rollup_zones` (
	`workspace_id` text NOT NULL,
	`time_zone` text NOT NULL,
	PRIMARY KEY(`workspace_id`, `time_zone`)
);
--> statement-breakpoint
CREATE TABLE `metric_rollups` (
	`workspace_id` text NOT NULL,
	`time_zone` text NOT NULL,
	`day` text NOT NULL,
	`source` text NOT NULL,
	`priority` text NOT NULL,
	`assignee` text NOT NULL,
	`tags` text NOT NULL,
	`counts` text NOT NULL,
	`samples` text NOT NULL,
	PRIMARY KEY(`workspace_id`, `time_zone`, `day`, `source`, `priority`, `assignee`, `tags`)
);
