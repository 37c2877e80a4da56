CREATE TABLE `kb_article_versions` (
	`article_id` text NOT NULL,
	`version` integer NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`tags` text NOT NULL,
	`state` text NOT NULL,
	`author` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`article_id`, `version`),
	FOREIGN KEY (`article_id`) REFERENCES `kb_articles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `kb_articles` (
	`rowid` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`source` text NOT NULL,
	`source_key` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`tags` text DEFAULT '' NOT NULL,
	`language` text DEFAULT 'en' NOT NULL,
	`external_url` text,
	`author` text DEFAULT '' NOT NULL,
	`state` text NOT NULL,
	`version` integer NOT NULL,
	`content_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kb_articles_id_unique` ON `kb_articles` (`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `kb_articles_source_key` ON `kb_articles` (`workspace_id`,`source`,`source_key`);--> statement-breakpoint
CREATE INDEX `kb_articles_workspace_state` ON `kb_articles` (`workspace_id`,`state`);--> statement-breakpoint
CREATE TABLE `kb_events` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`article_id` text,
	`ticket_id` text,
	`user_id` text,
	`kind` text NOT NULL,
	`comment` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`article_id`) REFERENCES `kb_articles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `kb_events_workspace_kind` ON `kb_events` (`workspace_id`,`kind`,`at`);--> statement-breakpoint
CREATE INDEX `kb_events_article` ON `kb_events` (`article_id`);--> statement-breakpoint
CREATE TABLE `kb_links` (
	`workspace_id` text NOT NULL,
	`ticket_id` text NOT NULL,
	`article_id` text NOT NULL,
	`linked_by` text,
	`at` integer NOT NULL,
	PRIMARY KEY(`ticket_id`, `article_id`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`article_id`) REFERENCES `kb_articles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`linked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `kb_links_article` ON `kb_links` (`article_id`);--> statement-breakpoint
CREATE TABLE `kb_queries` (
	`ticket_id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`terms` text NOT NULL,
	`best_article_id` text,
	`best_score` real,
	`at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `kb_queries_workspace_at` ON `kb_queries` (`workspace_id`,`at`);