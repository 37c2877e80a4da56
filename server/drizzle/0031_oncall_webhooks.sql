CREATE TABLE `oncall_webhooks` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`path_id` text NOT NULL,
	`level` integer NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`format` text NOT NULL,
	`secret_sealed` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`path_id`) REFERENCES `escalation_paths`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `oncall_webhooks_path` ON `oncall_webhooks` (`path_id`,`level`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_push_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`subscription_id` text,
	`user_id` text,
	`webhook_id` text,
	`kind` text NOT NULL,
	`source_id` text NOT NULL,
	`payload_json` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_at` integer NOT NULL,
	`claimed_by` text,
	`claimed_until` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`done_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subscription_id`) REFERENCES `push_subscriptions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`webhook_id`) REFERENCES `oncall_webhooks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_push_outbox`("id", "workspace_id", "subscription_id", "user_id", "kind", "source_id", "payload_json", "state", "attempts", "next_at", "claimed_by", "claimed_until", "last_error", "created_at", "done_at") SELECT "id", "workspace_id", "subscription_id", "user_id", "kind", "source_id", "payload_json", "state", "attempts", "next_at", "claimed_by", "claimed_until", "last_error", "created_at", "done_at" FROM `push_outbox`;--> statement-breakpoint
DROP TABLE `push_outbox`;--> statement-breakpoint
ALTER TABLE `__new_push_outbox` RENAME TO `push_outbox`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `push_outbox_source_subscription` ON `push_outbox` (`source_id`,`subscription_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `push_outbox_source_webhook` ON `push_outbox` (`source_id`,`webhook_id`);--> statement-breakpoint
CREATE INDEX `push_outbox_due` ON `push_outbox` (`state`,`next_at`);--> statement-breakpoint
CREATE INDEX `push_outbox_user_kind` ON `push_outbox` (`user_id`,`kind`,`created_at`);